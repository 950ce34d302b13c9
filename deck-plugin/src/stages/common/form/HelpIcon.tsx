/**
 * Deck's HelpField, built when it is first used. A form of ours has a help icon per field, and
 * each HelpField mounts a popover machine (HoverablePopover's rx subscriptions, react-bootstrap's
 * Overlay twice) that nobody uses until the pointer or the focus reaches the icon: a third of the
 * components in the Deploy form's first frame. Until then this renders the markup HelpField
 * renders (same classes, same look); on the first mouseenter or focus it becomes Deck's HelpField,
 * whose popover it opens, since the pointer is already over it.
 *
 * Unlike Deck's icon it is keyboard reachable: the wrapper is a focusable button named
 * "Help: <field>", and the popover shows while it has the focus (Escape hides it).
 */
import { HelpField } from '@spinnaker/core';
import React from 'react';

export interface HelpIconProps {
  /** A help key registered through `plugin.help`. */
  id: string;
  /** The field the help is about: the button is named "Help: <label>". */
  label: string;
}

/**
 * Deck's popover listens for React's mouseenter/mouseleave on its own wrapper. A `mouseout`
 * dispatched from one element with `relatedTarget` the other is what React 16 derives both from
 * (its EnterLeave plugin), and it reaches only the elements between the two.
 */
function moveMouse(from: Element, to: Element) {
  from.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: to }));
}

function HelpIconImpl({ id, label }: HelpIconProps) {
  const [built, setBuilt] = React.useState(false);
  const wrapper = React.useRef<HTMLDivElement>(null);
  const trigger = () => wrapper.current?.querySelector('.help-field') ?? undefined;
  const open = () => {
    const t = trigger();
    if (wrapper.current && t) moveMouse(wrapper.current, t);
  };
  const close = () => {
    const t = trigger();
    if (wrapper.current && t) moveMouse(t, wrapper.current);
  };
  // Built by a hover or a focus: the popover missed the mouseenter that built it.
  React.useEffect(() => {
    if (built) open();
  }, [built]);
  const use = () => (built ? undefined : setBuilt(true));

  return (
    <div
      ref={wrapper}
      style={{ display: 'inline-block' }}
      role="button"
      tabIndex={0}
      aria-label={`Help: ${label}`}
      onMouseEnter={use}
      onFocus={() => (built ? open() : use())}
      onBlur={() => built && close()}
      onKeyDown={(e) => e.key === 'Escape' && built && close()}
    >
      {built ? (
        <HelpField id={id} />
      ) : (
        // HelpField's own markup before its popover is mounted.
        <div className="HoverablePopover">
          <span className="clickable help-field">
            {' '}
            <i className="small glyphicon glyphicon-question-sign" />{' '}
          </span>
        </div>
      )}
    </div>
  );
}

/** Memoised: the forms render their rows again for every Formik change; the icon's props never change. */
export const HelpIcon = React.memo(HelpIconImpl);

/**
 * Deck's YAML editor (YamlTextEditor, Ace) built just after the form's first paint, with a plain
 * `<textarea>` of the same name, text, size and font until then, so the form is shown and usable
 * without waiting for Ace. Building Ace is most of what the Deploy form costs to open: its
 * scrollbar and font measurements force the first layout of the whole form, then it draws.
 *
 * The swap carries over the text (the textarea is controlled by the same value), the caret or
 * selection, the scroll position and focus, so nothing typed is lost and the box keeps its size:
 * both use a 16px line and the same height in lines (`minLines`..`maxLines`), as Ace's autosize does.
 * It happens when the browser is idle after the first paint, or at once when the user (or "Go to
 * line") focuses the textarea: after the pointer is released if the focus came with a press (the
 * caret or a drag selection is final then), after a composition (IME) ends.
 */
import React from 'react';

import { afterNextPaint } from '../../../lazy/afterPaint';
import { OwnForm } from './OwnForm';
import { aceEditorIn, type AceEditor, YamlTextEditor, type YamlTextEditorHandle, type YamlTextEditorProps } from './YamlTextEditor';

import './progressiveYamlEditor.css';

/** Runs `build` at some later point; returns a cancel. */
export type UpgradeSchedule = (build: () => void) => () => void;

/** After the next frame has been painted, when the browser is idle (within `timeoutMs` at the latest). */
export const afterFirstPaint =
  (timeoutMs = 100): UpgradeSchedule =>
  (build) => {
    const g = globalThis as {
      requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number;
      cancelIdleCallback?: (id: number) => void;
    };
    let idle: number | undefined;
    const painted = afterNextPaint(() => {
      if (g.requestIdleCallback) idle = g.requestIdleCallback(build, { timeout: timeoutMs });
      else build();
    });
    return () => {
      painted();
      if (idle !== undefined) g.cancelIdleCallback?.(idle);
    };
  };

/** What the textarea hands over to Ace. Offsets are into the textarea's text. */
interface Carried {
  start: number;
  end: number;
  backward: boolean;
  scrollTop: number;
  scrollLeft: number;
  focus: boolean;
}

/** The parts of Ace the hand-over uses, beyond YamlTextEditor's. */
interface AceTakeover extends AceEditor {
  selection: { setSelectionRange(range: unknown, reverse?: boolean): void };
  getSession(): ReturnType<AceEditor['getSession']> & {
    setScrollTop(px: number): void;
    setScrollLeft(px: number): void;
    getDocument(): { indexToPosition(index: number, startRow: number): { row: number; column: number } };
  };
}

function handOver(editor: AceTakeover, c: Carried): void {
  const Range = editor.getSelectionRange().constructor;
  const session = editor.getSession();
  // Ace's lines are the textarea's lines: its own offset arithmetic places the textarea's offsets.
  const a = session.getDocument().indexToPosition(c.start, 0);
  const b = session.getDocument().indexToPosition(c.end, 0);
  editor.selection.setSelectionRange(new Range(a.row, a.column, b.row, b.column), c.backward);
  session.setScrollTop(c.scrollTop);
  session.setScrollLeft(c.scrollLeft);
  if (c.focus) editor.focus();
}

export interface ProgressiveYamlEditorProps extends YamlTextEditorProps {
  /** When Ace is built if nothing asks for it first (tests hand their own). */
  upgrade?: UpgradeSchedule;
}

const LINE_PX = 16;

export const ProgressiveYamlEditor = React.forwardRef<YamlTextEditorHandle, ProgressiveYamlEditorProps>(function ProgressiveYamlEditor(props, ref) {
  const { upgrade = defaultUpgrade, ...editorProps } = props;
  const { label, id, value, onChange, minLines = 16, maxLines = 40 } = editorProps;
  const [carried, setCarried] = React.useState<Carried | undefined>(undefined);
  const built = carried !== undefined;
  const plain = React.useRef<HTMLTextAreaElement>(null);
  const container = React.useRef<HTMLDivElement>(null);
  const ace = React.useRef<YamlTextEditorHandle>(null);
  // A press or an IME composition in the textarea: the swap waits until it is over.
  const busy = React.useRef({ pointer: false, composing: false, pending: false });

  // "Go to line" asked for before Ace was built: done by Ace's own goTo once it is.
  const goToOnBuild = React.useRef<{ line: number; column: number }>();
  const build = React.useCallback((goTo?: { line: number; column: number }) => {
    const el = plain.current;
    if (!el) return;
    if (!goTo && (busy.current.pointer || busy.current.composing)) {
      busy.current.pending = true;
      return;
    }
    goToOnBuild.current = goTo;
    setCarried({
      start: el.selectionStart,
      end: el.selectionEnd,
      backward: el.selectionDirection === 'backward',
      scrollTop: el.scrollTop,
      scrollLeft: el.scrollLeft,
      focus: el.ownerDocument.activeElement === el,
    });
  }, []);

  React.useEffect(() => (built ? undefined : upgrade(() => build())), [built, upgrade, build]);

  // While the textarea is up, a release of the pointer anywhere ends a press that began in it.
  React.useEffect(() => {
    if (built) return;
    const doc = plain.current?.ownerDocument;
    const release = () => {
      if (!busy.current.pointer) return;
      busy.current.pointer = false;
      if (busy.current.pending) build();
    };
    const ends = ['pointerup', 'pointercancel', 'mouseup'] as const;
    ends.forEach((type) => doc?.addEventListener(type, release, true));
    return () => ends.forEach((type) => doc?.removeEventListener(type, release, true));
  }, [built, build]);

  // In the commit that builds Ace, before the browser paints or dispatches the next key.
  React.useLayoutEffect(() => {
    if (!carried) return;
    const editor = aceEditorIn(container.current) as AceTakeover | undefined;
    if (editor) handOver(editor, carried);
    const goTo = goToOnBuild.current;
    if (goTo) ace.current?.goTo(goTo.line, goTo.column);
    // Only once, for the editor just built; later values are Ace's own.
  }, [built]);

  // Ace adds its horizontal scrollbar below the lines when one is wider than the box, where the
  // textarea's takes room inside its box: the textarea grows by that bar. Measured only for text
  // with a line that may be that wide (a read of the layout, before the first paint).
  // Only while the textarea is up: once Ace holds the text, every keystroke renders this again.
  const lineList = built ? [] : value.split('\n');
  const mayOverflow = lineList.some((l) => l.length > 40);
  const [barPx, setBarPx] = React.useState(0);
  React.useLayoutEffect(() => {
    const el = plain.current;
    if (!el || !mayOverflow) return setBarPx(0);
    const bar = el.scrollWidth > el.clientWidth ? el.offsetHeight - el.clientHeight - el.clientTop * 2 : 0;
    setBarPx(Math.max(0, bar));
  }, [value, mayOverflow]);

  React.useImperativeHandle(ref, () => ({
    goTo(line, column = 1) {
      if (ace.current) return ace.current.goTo(line, column);
      build({ line, column });
    },
  }));

  if (built) {
    return (
      <div ref={container} className="cdaas-progressive-yaml">
        <YamlTextEditor ref={ace} {...editorProps} />
      </div>
    );
  }
  const lines = Math.min(maxLines, Math.max(minLines, lineList.length));
  // Ace's gutter is as wide as the last line number it shows.
  const digits = String(Math.min(lines, lineList.length)).length;
  return (
    <div ref={container} className="cdaas-progressive-yaml cdaas-yaml-editor">
      {/* Its own form for the browser's autofill, as Ace's textarea has (OwnForm). */}
      <OwnForm>
        <textarea
          ref={plain}
          id={id}
          aria-label={label}
          className="cdaas-yaml-plain"
          // `rows` also keeps Deck's `.sp-form textarea:not([rows])` sizes (12em, at most 24em) off it.
          rows={lines}
          style={{ height: lines * LINE_PX + barPx, ['--cdaas-gutter-digits' as string]: digits }}
          value={value}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
          onPointerDown={() => {
            busy.current.pointer = true;
          }}
          onCompositionStart={() => {
            busy.current.composing = true;
          }}
          onCompositionEnd={() => {
            busy.current.composing = false;
            if (busy.current.pending || plain.current?.ownerDocument.activeElement === plain.current) build();
          }}
          onFocus={() => {
            // Focus from a press: the caret lands where the press ends, so the swap waits for it.
            if (busy.current.pointer || busy.current.composing) busy.current.pending = true;
            else build();
          }}
        />
      </OwnForm>
    </div>
  );
});

const defaultUpgrade = afterFirstPaint();

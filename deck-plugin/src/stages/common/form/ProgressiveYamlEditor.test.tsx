import { act, fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import type { TextProblem } from '@cdaas/contract/deployYaml';

import { ProgressiveYamlEditor, type UpgradeSchedule } from './ProgressiveYamlEditor';
import type { YamlTextEditorHandle } from './YamlTextEditor';

interface Ace {
  getValue(): string;
  isFocused(): boolean;
  getSelectionRange(): { start: { row: number; column: number }; end: { row: number; column: number } };
  selection: { isBackwards(): boolean };
  getSession(): { getAnnotations(): Array<{ row: number; type: string }>; $decorations: string[] };
}

const TEXT = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';

/** A schedule the test runs by hand: "the browser is idle after the first paint" happens when the test says. */
function manualSchedule() {
  const pending: Array<() => void> = [];
  const cancelled = vi.fn();
  const upgrade: UpgradeSchedule = (build) => {
    pending.push(build);
    return cancelled;
  };
  return { upgrade, cancelled, idle: () => act(() => pending.splice(0).forEach((b) => b())) };
}

/** The editor as the form holds it: its value in state, changed by what the user types. */
function Form(props: { upgrade: UpgradeSchedule; initial?: string; problems?: TextProblem[]; handle?: React.Ref<YamlTextEditorHandle>; changes?: string[] }) {
  const [value, setValue] = React.useState(props.initial ?? TEXT);
  return (
    <ProgressiveYamlEditor
      ref={props.handle}
      id="manifest-text"
      label="Manifest YAML"
      value={value}
      onChange={(text) => {
        props.changes?.push(text);
        setValue(text);
      }}
      problems={props.problems ?? []}
      upgrade={props.upgrade}
    />
  );
}

const textbox = () => screen.getByRole('textbox', { name: 'Manifest YAML' }) as HTMLTextAreaElement;
function ace(): Ace | undefined {
  const el = textbox().closest('.ace_editor') as (HTMLElement & { env?: { editor?: Ace } }) | null;
  return el?.env?.editor;
}

describe('ProgressiveYamlEditor', () => {
  it("shows the text in a plain textarea of the editor's name, id and height, then Deck's editor once the browser is idle", () => {
    const { upgrade, idle } = manualSchedule();
    render(<Form upgrade={upgrade} />);
    const plain = textbox();
    expect(plain.tagName).toBe('TEXTAREA');
    expect(plain).toHaveValue(TEXT);
    expect(plain).toHaveAttribute('id', 'manifest-text');
    expect(ace()).toBeUndefined();
    // 5 lines shown in 16 lines of 16px: Ace's autosize with minLines 16 and the line height both use.
    expect(plain.style.height).toBe('256px');

    idle();
    expect(ace()?.getValue()).toBe(TEXT);
    expect(textbox()).toHaveAttribute('id', 'manifest-text');
    expect(ace()?.isFocused()).toBe(false);
  });

  // The bug: formless, the text input was one field of the page-wide form Chromium's autofill
  // re-reads on every change of it (see OwnForm): the textarea, then Ace's, each in a form of its own.
  it('keeps the textarea, then Ace, in a form of its own', () => {
    const { upgrade, idle } = manualSchedule();
    render(
      <>
        <input aria-label="Another field" />
        <Form upgrade={upgrade} />
      </>,
    );
    expect([...textbox().form!.elements]).toEqual([textbox()]);
    idle();
    expect(textbox().closest('.ace_editor')).not.toBeNull();
    expect([...textbox().form!.elements]).toEqual([textbox()]);
  });

  it('text typed into the textarea during an IME composition is kept, and the caret and focus move to Ace when it ends', () => {
    const { upgrade, idle } = manualSchedule();
    const changes: string[] = [];
    render(<Form upgrade={upgrade} initial="" changes={changes} />);
    const plain = textbox();
    fireEvent.compositionStart(plain);
    act(() => plain.focus());
    fireEvent.change(plain, { target: { value: 'kind: Pod' } });
    plain.setSelectionRange(4, 4);
    idle();
    // Still composing: the swap waits.
    expect(ace()).toBeUndefined();
    expect(textbox()).toBe(plain);

    fireEvent.compositionEnd(plain);
    const editor = ace()!;
    expect(editor.getValue()).toBe('kind: Pod');
    expect(changes).toEqual(['kind: Pod']);
    expect(editor.isFocused()).toBe(true);
    expect(editor.getSelectionRange()).toEqual({ start: { row: 0, column: 4 }, end: { row: 0, column: 4 } });
  });

  it('focus from the keyboard builds Ace at once, with the caret where the textarea had it', () => {
    const { upgrade } = manualSchedule();
    render(<Form upgrade={upgrade} />);
    const plain = textbox();
    // "kind: Service" is line 2: offset 15 is its start, 21 is after "kind: ".
    plain.setSelectionRange(21, 21);
    act(() => plain.focus());
    const editor = ace()!;
    expect(editor.isFocused()).toBe(true);
    expect(editor.getSelectionRange()).toEqual({ start: { row: 1, column: 6 }, end: { row: 1, column: 6 } });
  });

  it("a press waits for the pointer's release, then carries the selection it made (backwards too)", () => {
    const { upgrade, idle } = manualSchedule();
    render(<Form upgrade={upgrade} />);
    const plain = textbox();
    fireEvent.pointerDown(plain);
    act(() => plain.focus());
    plain.setSelectionRange(15, 19, 'backward');
    idle();
    expect(ace()).toBeUndefined();

    fireEvent.pointerUp(document.body);
    const editor = ace()!;
    expect(editor.getSelectionRange()).toEqual({ start: { row: 1, column: 0 }, end: { row: 1, column: 4 } });
    expect(editor.selection.isBackwards()).toBe(true);
    expect(editor.isFocused()).toBe(true);
  });

  it('"Go to line" before the swap builds Ace with the cursor at that line and column, focused', () => {
    const { upgrade } = manualSchedule();
    const handle = React.createRef<YamlTextEditorHandle>();
    render(<Form upgrade={upgrade} handle={handle} />);
    act(() => handle.current!.goTo(4, 3));
    const editor = ace()!;
    expect(editor.isFocused()).toBe(true);
    expect(editor.getSelectionRange().start).toEqual({ row: 3, column: 2 });
  });

  it('problems shown before the swap mark their lines in Ace after it', () => {
    const { upgrade, idle } = manualSchedule();
    const problems: TextProblem[] = [{ line: 2, column: 7, severity: 'error', message: 'kind Service needs spec' }];
    render(<Form upgrade={upgrade} problems={problems} />);
    idle();
    const session = ace()!.getSession();
    expect(session.getAnnotations()).toEqual([expect.objectContaining({ row: 1, type: 'error' })]);
    expect(session.$decorations[1]).toContain('cdaas-gutter-error');
  });

  it('an editor closed before the browser was idle cancels the build', () => {
    const { upgrade, cancelled } = manualSchedule();
    const { unmount } = render(<Form upgrade={upgrade} />);
    unmount();
    expect(cancelled).toHaveBeenCalled();
  });
});

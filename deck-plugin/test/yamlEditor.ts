/**
 * Driving Deck's YAML editor (Ace) in jsdom. Ace renders and runs under jsdom, but reads keys and
 * pastes through its own handling of its hidden textarea, which jsdom's synthetic events do not
 * drive; these helpers go through Ace's editor API instead, the calls its own paste handler ends in.
 * The editor is found by its accessible name, as a user would.
 */
import { act, screen } from '@testing-library/react';

interface Ace {
  getValue(): string;
  insert(text: string): void;
  setValue(text: string, cursorPos?: number): void;
  focus(): void;
  isFocused(): boolean;
  getCursorPosition(): { row: number; column: number };
  getSession(): { getAnnotations(): Array<{ row: number; column: number; type: string; text: string }> };
}

export function yamlEditor(name: string): Ace {
  let input = screen.getByRole('textbox', { name });
  // The Deploy form shows a plain textarea until Ace is built (ProgressiveYamlEditor); focusing it builds Ace at once.
  if (!input.closest('.ace_editor') && input.classList.contains('cdaas-yaml-plain')) {
    act(() => input.focus());
    input = screen.getByRole('textbox', { name });
  }
  const el = input.closest('.ace_editor') as (HTMLElement & { env?: { editor?: Ace } }) | null;
  if (!el?.env?.editor) throw new Error(`the textbox "${name}" is not an Ace editor`);
  return el.env.editor;
}

/** Inserts at the cursor, as pasting does. */
export function pasteInto(name: string, text: string): void {
  const editor = yamlEditor(name);
  act(() => {
    editor.focus();
    editor.insert(text);
  });
}

/** Replaces the whole text, as select-all then paste does. */
export function replaceText(name: string, text: string): void {
  const editor = yamlEditor(name);
  act(() => editor.setValue(text, 1));
}

/** 1-based line and column of the cursor, as the problem list names them. */
export function cursorOf(name: string): { line: number; column: number } {
  const { row, column } = yamlEditor(name).getCursorPosition();
  return { line: row + 1, column: column + 1 };
}

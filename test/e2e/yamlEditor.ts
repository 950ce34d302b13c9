/**
 * Deck's YAML editor (Ace) in the real browser: its text input is the textbox with the field's
 * name. Text goes in as a paste does (select all, insert): typed newlines would run Ace's
 * auto-indent. What it holds and where its cursor is are read from the editor Ace attaches to
 * its element.
 */
import type { Page } from 'playwright-core';

export async function replaceYamlText(page: Page, name: string | RegExp, text: string): Promise<void> {
  await page.getByRole('textbox', { name }).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

interface AceElement extends HTMLElement {
  env: {
    editor: {
      getValue(): string;
      getCursorPosition(): { row: number; column: number };
      moveCursorTo(row: number, column: number): void;
      clearSelection(): void;
      focus(): void;
    };
  };
}

/**
 * Ace's own text input, not the plain textarea of the same name a form shows until Ace is built
 * after its first paint (ProgressiveYamlEditor): a CI run read that one, and `closest('.ace_editor')` was null.
 */
const aceInput = (page: Page, name: string | RegExp) => page.locator('.ace_editor').getByRole('textbox', { name });

/** Puts Ace's cursor at `row`, `column` (0-based) with nothing selected and the editor focused, for the keys typed next. */
export async function putYamlCursor(page: Page, name: string | RegExp, row: number, column: number): Promise<void> {
  await aceInput(page, name).evaluate(
    (input, [r, c]) => {
      const editor = (input.closest('.ace_editor') as AceElement).env.editor;
      editor.moveCursorTo(r, c);
      editor.clearSelection();
      editor.focus();
    },
    [row, column] as const,
  );
}

/** What Ace holds and where its cursor is (waiting for Ace itself, see aceInput). */
export async function yamlEditorState(page: Page, name: string | RegExp): Promise<{ text: string; cursor: { row: number; column: number } }> {
  return aceInput(page, name).evaluate((input) => {
    const editor = (input.closest('.ace_editor') as AceElement).env.editor;
    return { text: editor.getValue(), cursor: editor.getCursorPosition() };
  });
}

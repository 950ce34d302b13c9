/**
 * Deck's own YAML editor (`YamlEditor`, the editor of Deploy (Manifest): Ace, line numbers,
 * highlighting) showing this plugin's problems. YamlEditor takes no annotations: it marks only
 * js-yaml's first syntax error, from its own `calculateErrors`. A subclass replaces that one
 * method with our problems (schema, names, Kubernetes rules, each with line:column), so the
 * editor, its styles and Ace stay Deck's and nothing of Ace is bundled.
 */
import type { IYamlEditorProps } from '@spinnaker/core';
import { YamlEditor } from '@spinnaker/core';
import React from 'react';
import type { Annotation } from 'react-ace';

import type { TextProblem } from '@cdaas/contract/deployYaml';

import { OwnForm } from './OwnForm';

import './yamlTextEditor.css';

interface AnnotatedProps extends IYamlEditorProps {
  problems: TextProblem[];
}

let annotatedEditor: React.ComponentType<AnnotatedProps> | undefined;

/**
 * Made on first use, not when the module loads: the plugin module is evaluated before anything
 * renders, and a class must not be derived from a core export earlier than core's own code uses it.
 */
function AnnotatedYamlEditor(props: AnnotatedProps) {
  if (!annotatedEditor) {
    class Annotated extends YamlEditor {
      constructor(props: IYamlEditorProps) {
        super(props);
        // Deck's change handler parses the whole text with js-yaml on every keystroke to hand
        // over documents nobody here reads (tens of ms for a 5,000-line file): pass the text only.
        (this as unknown as { handleChange(raw: string): void }).handleChange = (raw: string) => this.props.onChange(raw, undefined);
      }
      private marked?: { problems: TextProblem[]; annotations: Annotation[] };
      // Called on every render; the same problems give the same array, which react-ace then
      // recognises at once instead of deep-comparing hundreds of annotations per keystroke.
      public calculateErrors = (): Annotation[] => {
        const { problems } = this.props as AnnotatedProps;
        if (this.marked?.problems !== problems) {
          const annotations = problems
            .filter((p) => p.line !== undefined)
            .map((p) => ({ row: p.line! - 1, column: (p.column ?? 1) - 1, type: p.severity, text: p.message }));
          this.marked = { problems, annotations };
        }
        return this.marked.annotations;
      };
    }
    // YamlEditor's class types its props as IYamlEditorProps; this one also reads `problems`.
    annotatedEditor = Annotated as unknown as React.ComponentType<AnnotatedProps>;
  }
  return React.createElement(annotatedEditor, props);
}

/** The parts of Ace's editor this component drives (Ace ships no typings through Deck). */
interface AceRange {
  new (startRow: number, startColumn: number, endRow: number, endColumn: number): unknown;
}
export interface AceEditor {
  setOptions(options: Record<string, unknown>): void;
  gotoLine(line: number, column: number, animate: boolean): void;
  focus(): void;
  getSelectionRange(): { constructor: AceRange };
  textInput: { getElement(): HTMLTextAreaElement };
  getSession(): {
    addMarker(range: unknown, className: string, type: string): number;
    removeMarker(id: number): void;
    addGutterDecoration(row: number, className: string): void;
    removeGutterDecoration(row: number, className: string): void;
  };
}

export interface YamlTextEditorHandle {
  /** Moves the cursor to a problem's line:column and focuses the editor. */
  goTo(line: number, column?: number): void;
}

export interface YamlTextEditorProps {
  /** The accessible name of the editor's text input, e.g. "deploy.yml". */
  label: string;
  /** Id for a <label htmlFor>, set on the editor's text input. */
  id?: string;
  value: string;
  onChange(text: string): void;
  problems: TextProblem[];
  /** Visible height in lines (Deck's default, 50, is a page). */
  minLines?: number;
  maxLines?: number;
}

/** The Ace editor Deck's YamlEditor built inside `container` (Ace keeps it on its element). */
export function aceEditorIn(container: HTMLElement | null): AceEditor | undefined {
  const el = container?.querySelector('.ace_editor') as (HTMLElement & { env?: { editor?: AceEditor } }) | null;
  return el?.env?.editor;
}

/**
 * Memoised: a form drawn again for anything but this editor's text or problems (a check's answer
 * with the same problems, another field) must not draw react-ace again, which joins the whole
 * text to compare it and diffs its options and annotations on every render.
 */
export const YamlTextEditor = React.memo(React.forwardRef<YamlTextEditorHandle, YamlTextEditorProps>(function YamlTextEditor(props, ref) {
  const { label, id, value, onChange, problems, minLines = 16, maxLines = 40 } = props;
  const container = React.useRef<HTMLFormElement>(null);

  // A layout effect: the text input is named in the commit that creates the editor. A passive
  // effect waits for React's next flush, a later task unless something else renders first, so a
  // frame could show an editor no user (or screen reader) can find by its name.
  React.useLayoutEffect(() => {
    const editor = aceEditorIn(container.current);
    if (!editor) return;
    // Deck's editor hides line numbers; problems are given as line:column, so show them.
    editor.setOptions({ showLineNumbers: true, minLines, maxLines });
    const input = editor.textInput.getElement();
    input.setAttribute('aria-label', label);
    if (id) input.id = id;
  }, [label, id, minLines, maxLines]);

  // The failing lines, marked across the whole line and in the gutter.
  React.useEffect(() => {
    const editor = aceEditorIn(container.current);
    if (!editor) return;
    const session = editor.getSession();
    const Range = editor.getSelectionRange().constructor;
    const rows = new Map<number, 'error' | 'warning'>();
    for (const p of problems) {
      if (p.line === undefined) continue;
      if (rows.get(p.line - 1) !== 'error') rows.set(p.line - 1, p.severity);
    }
    const markers = [...rows].map(([row, severity]) => {
      session.addGutterDecoration(row, `cdaas-gutter-${severity}`);
      return session.addMarker(new Range(row, 0, row, 1), `cdaas-line-${severity}`, 'fullLine');
    });
    return () => {
      for (const m of markers) session.removeMarker(m);
      for (const [row, severity] of rows) session.removeGutterDecoration(row, `cdaas-gutter-${severity}`);
    };
  }, [problems]);

  React.useImperativeHandle(ref, () => ({
    goTo(line, column = 1) {
      const editor = aceEditorIn(container.current);
      if (!editor) return;
      editor.gotoLine(line, column - 1, false);
      editor.focus();
    },
  }));

  const handleChange = React.useCallback((raw: string) => onChange(raw), [onChange]);
  return (
    <OwnForm ref={container} className="cdaas-yaml-editor">
      <AnnotatedYamlEditor value={value} onChange={handleChange} problems={problems} />
    </OwnForm>
  );
}));

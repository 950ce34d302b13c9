/**
 * Edits an artifact defined in the stage: type, account, reference and, where the type has one,
 * version. Labelled from Deck's own artifact kinds (Registry.pipeline.getDefaultArtifactKinds(),
 * the kinds StageArtifactSelector offers) and Deck's artifact accounts (AccountService).
 *
 * Our own fields rather than Deck's ArtifactEditor and the kinds' `editCmp`: @spinnaker/core
 * 0.29.1 does not export ArtifactEditor; the kinds' editors put each input beside a <label> that
 * names nothing (no `for`, the input is outside it), so they have no accessible name; their
 * account picker is a react-select without one either; and they cannot show a field's problem
 * with the form's others (border plus message), which the rest of both stages do.
 */
import type { IArtifactAccount } from '@spinnaker/core';
import { AccountService, Registry } from '@spinnaker/core';
import React from 'react';

import { SUPPORTED_ARTIFACT_TYPES } from '@cdaas/contract/artifactTypes';
import { FieldMessage } from '../form/FieldMessage';
import { FormRow } from '../form/FormRow';
import { useFieldId } from '../form/useFieldId';
import type { InlineArtifactValues } from './artifactChoice';
import { inlineArtifactProblems, typeHasVersion } from './artifactRules';

export interface InlineArtifactEditorProps {
  /** The picker's label: every field's accessible name starts with it ("Manifest artifact 1 URL"). */
  label: string;
  labelId: string;
  value: InlineArtifactValues;
  onChange(next: InlineArtifactValues): void;
}

type AccountsState = { status: 'loading' } | { status: 'failed' } | { status: 'loaded'; accounts: IArtifactAccount[] };

/** Deck's artifact accounts (Gate's /artifacts/credentials, cached by AccountService). */
function useArtifactAccounts(): AccountsState {
  const [state, setState] = React.useState<AccountsState>({ status: 'loading' });
  React.useEffect(() => {
    let live = true;
    // Through a promise: a Deck without its HTTP service throws at once, and that is a failure too.
    Promise.resolve()
      .then(() => AccountService.getArtifactAccounts())
      .then(
      (accounts) => live && setState({ status: 'loaded', accounts: Array.isArray(accounts) ? accounts : [] }),
      () => live && setState({ status: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** Deck's name for each type ("HTTP", "GitHub", "Base64"), from the kinds it registered. */
function useKindLabels(): Record<string, string> {
  return React.useMemo(() => {
    const labels: Record<string, string> = {};
    for (const kind of Registry.pipeline.getDefaultArtifactKinds()) if (kind.type && !labels[kind.type]) labels[kind.type] = kind.label;
    return labels;
  }, []);
}

const referenceLabel = (type: string | undefined) =>
  type === 'embedded/base64' ? 'Contents' : type === 'github/file' ? 'Content URL' : 'URL';
const referencePlaceholder = (type: string | undefined) =>
  type === 'github/file' ? 'https://api.github.com/repos/ORG/REPO/contents/PATH' : 'https://host/path/manifest.yml';

const invalid = (base: string, error: string | undefined) => (error ? `${base} ng-dirty ng-invalid` : base);

interface RowProps {
  id: string;
  text: string;
  error?: string;
  note?: React.ReactNode;
  children: React.ReactNode;
}

/** A form row whose label names the control, with its message (or note) under it. */
function Row({ id, text, error, note, children }: RowProps) {
  return (
    <FormRow
      label={
        <label id={`${id}-label`} htmlFor={id} style={{ fontWeight: 'inherit', margin: 0 }}>
          {text}
        </label>
      }
    >
      {children}
      <div id={`${id}-message`}>
        {error && <FieldMessage message={error} />}
        {note}
      </div>
    </FormRow>
  );
}

export function InlineArtifactEditor({ label, labelId, value, onChange }: InlineArtifactEditorProps) {
  const id = useFieldId('inline-artifact');
  const accounts = useArtifactAccounts();
  const kindLabels = useKindLabels();
  // Shown as the problem exists, like every other field of both forms.
  const problems = inlineArtifactProblems(value) ?? {};
  const type = value.type;
  const forType = accounts.status === 'loaded' ? accounts.accounts.filter((a) => !!type && a.types.includes(type)) : [];
  const named = (field: string) => ({
    id: `${id}-${field}`,
    'aria-labelledby': `${labelId} ${id}-${field}-label`,
    'aria-describedby': `${id}-${field}-message`,
  });

  // Like Deck's ArtifactEditor, an artifact without an account takes the first one for its type,
  // once, when the accounts arrive ("No account" chosen afterwards stays chosen). The latest
  // props are read, so a keystroke made while the accounts loaded is not undone.
  const latest = React.useRef({ value, onChange });
  latest.current = { value, onChange };
  React.useEffect(() => {
    if (accounts.status !== 'loaded') return;
    const current = latest.current.value;
    const first = current.type ? accounts.accounts.find((a) => a.types.includes(current.type ?? ''))?.name : undefined;
    if (!current.artifactAccount && first) latest.current.onChange({ ...current, artifactAccount: first });
  }, [accounts.status]);

  const setType = (next: string) => {
    // Like Deck's ArtifactEditor: a new type takes that type's first account. Reference and
    // version stay as typed, so switching back loses nothing.
    const account = accounts.status === 'loaded' ? accounts.accounts.find((a) => a.types.includes(next))?.name : undefined;
    const { artifactAccount: _old, ...rest } = value;
    onChange({ ...rest, type: next, ...(account ? { artifactAccount: account } : {}) });
  };

  const savedAccountUnknown = !!value.artifactAccount && accounts.status === 'loaded' && !forType.some((a) => a.name === value.artifactAccount);
  const accountNote =
    accounts.status === 'failed'
      ? "Spinnaker's artifact accounts could not be loaded. The account is optional: the CD-as-a-Service bridge fetches the artifact with its own credentials."
      : accounts.status === 'loaded' && forType.length === 0
        ? `No Spinnaker artifact account handles ${type ?? 'this type'}: leave it empty, the CD-as-a-Service bridge fetches the artifact with its own credentials.`
        : 'Recorded on the artifact for Spinnaker; the CD-as-a-Service bridge fetches it with its own credentials.';

  return (
    <div role="group" aria-label={`${label}: inline artifact`} className="cdaas-inline-artifact">
      <Row id={`${id}-type`} text="Type" error={problems.type}>
        <select
          {...named('type')}
          className={invalid('form-control input-sm', problems.type)}
          aria-invalid={!!problems.type}
          value={type ?? ''}
          onChange={(e) => setType(e.target.value)}
        >
          {!type && <option value="">Select a type…</option>}
          {SUPPORTED_ARTIFACT_TYPES.map((t) => (
            <option key={t} value={t}>
              {kindLabels[t] ? `${kindLabels[t]} (${t})` : t}
            </option>
          ))}
          {type && !(SUPPORTED_ARTIFACT_TYPES as readonly string[]).includes(type) && <option value={type}>{type}</option>}
        </select>
      </Row>
      <Row id={`${id}-account`} text="Account" note={<p className="help-block">{accountNote}</p>}>
        <select
          {...named('account')}
          className="form-control input-sm"
          value={value.artifactAccount ?? ''}
          onChange={(e) => {
            const { artifactAccount: _old, ...rest } = value;
            onChange({ ...rest, ...(e.target.value ? { artifactAccount: e.target.value } : {}) });
          }}
        >
          <option value="">{accounts.status === 'loading' ? 'Loading artifact accounts…' : 'No account'}</option>
          {forType.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name}
            </option>
          ))}
          {savedAccountUnknown && <option value={value.artifactAccount}>{value.artifactAccount} (not an account for {type})</option>}
        </select>
      </Row>
      <Row id={`${id}-reference`} text={referenceLabel(type)} error={problems.reference}>
        {type === 'embedded/base64' ? (
          <textarea
            {...named('reference')}
            className={invalid('form-control input-sm code', problems.reference)}
            aria-invalid={!!problems.reference}
            rows={8}
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            value={value.reference ?? ''}
            onChange={(e) => onChange({ ...value, reference: e.target.value })}
          />
        ) : (
          <input
            {...named('reference')}
            type="text"
            className={invalid('form-control input-sm', problems.reference)}
            aria-invalid={!!problems.reference}
            placeholder={referencePlaceholder(type)}
            value={value.reference ?? ''}
            onChange={(e) => onChange({ ...value, reference: e.target.value })}
          />
        )}
      </Row>
      {typeHasVersion(type) && (
        <Row id={`${id}-version`} text="Commit/Branch" note={<p className="help-block">Empty: the repository's default branch.</p>}>
          <input
            {...named('version')}
            type="text"
            className="form-control input-sm"
            placeholder="master"
            value={value.version ?? ''}
            onChange={(e) => onChange({ ...value, version: e.target.value })}
          />
        </Row>
      )}
    </div>
  );
}

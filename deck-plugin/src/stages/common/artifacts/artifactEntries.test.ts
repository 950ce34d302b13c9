import { artifactExpression } from '@cdaas/contract/deploy';

import { artifactEntryFor, encodeBase64, inlineKorkArtifact } from './artifactEntries';

describe('artifact entries', () => {
  it('encodes embedded/base64 contents as UTF-8, as the bridge decodes them (btoa alone throws on them)', () => {
    const manifest = 'metadata:\n  annotations:\n    owner: "Zoë – équipe 🚀"\n';
    expect(encodeBase64(manifest)).toBe(Buffer.from(manifest, 'utf8').toString('base64'));
    // Larger than one chunk: encoded without overflowing the call stack.
    const large = 'x: "ü"\n'.repeat(40_000);
    expect(Buffer.from(encodeBase64(large), 'base64').toString('utf8')).toBe(large);
  });

  it('sends what the author typed, trimmed, and leaves out what the type does not use', () => {
    expect(inlineKorkArtifact({ type: 'http/file', reference: ' https://cdn.example.com/a.yml ', version: 'main' })).toEqual({
      type: 'http/file',
      reference: 'https://cdn.example.com/a.yml',
    });
    expect(inlineKorkArtifact({ type: 'github/file', artifactAccount: 'gh', reference: 'https://api.github.com/repos/o/r/contents/a.yml', version: '${trigger.hash}' })).toEqual({
      type: 'github/file',
      artifactAccount: 'gh',
      reference: 'https://api.github.com/repos/o/r/contents/a.yml',
      version: '${trigger.hash}',
    });
  });

  it('builds an expected entry exactly as stages saved before inline artifacts, and nothing for an empty row', () => {
    expect(artifactEntryFor('manifests/a.yml', { expectedArtifactId: 'ea-1', inline: { type: 'http/file' } }, 'api')).toEqual({
      path: 'manifests/a.yml',
      expectedArtifactId: 'ea-1',
      displayName: 'api',
      artifact: artifactExpression('ea-1'),
    });
    expect(artifactEntryFor('manifests/a.yml', {})).toBeUndefined();
    expect(artifactEntryFor('manifests/a.yml', { source: 'inline', expectedArtifactId: 'ea-1', inline: { type: 'embedded/base64', reference: 'kind: Service\n' } })).toEqual({
      source: 'inline',
      path: 'manifests/a.yml',
      artifact: { type: 'embedded/base64', reference: Buffer.from('kind: Service\n').toString('base64') },
    });
  });
});

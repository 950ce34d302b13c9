import { checkManifestText } from './manifests';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: potato-facts
  labels:
    app: potato-facts
spec:
  replicas: 3
  selector:
    matchLabels:
      app: potato-facts
  template:
    metadata:
      labels:
        app: potato-facts
    spec:
      containers:
        - name: potato-facts
          image: \${trigger.artifacts.?[type == 'docker/image'][0].reference}
          ports:
            - containerPort: 8080
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: potato-facts
spec:
  selector:
    app: potato-facts
  ports:
    - port: 80
      targetPort: 8080
`;

describe('checkManifestText', () => {
  it('accepts a Deployment and a Service in one text, with a trailing separator and an expression', () => {
    expect(checkManifestText(`${deployment}---\n${service}---\n`)).toEqual([]);
  });

  it('tolerates an expression in place of the kind, which Orca fills in', () => {
    expect(checkManifestText(service.replace('kind: Service', 'kind: ${parameters.kind}'))).toEqual([]);
  });

  it('gives a parse error its line and column, counted in the whole text', () => {
    const text = `${service}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [flags\ndata: {}\n`;
    const problems = checkManifestText(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', line: 16, column: 1 });
    expect(problems[0].message).toMatch(/^document 2: YAML syntax error: /);
  });

  it('requires apiVersion, kind and metadata.name in each document, naming the document', () => {
    const text = `${service}---\nkind: ConfigMap\nmetadata:\n  labels: {app: potato-facts}\ndata:\n  a: b\n`;
    expect(checkManifestText(text)).toEqual([
      { severity: 'error', path: 'apiVersion', line: 12, column: 1, message: 'document 2 (ConfigMap): apiVersion is required' },
      { severity: 'error', path: 'metadata.name', line: 14, column: 3, message: 'document 2 (ConfigMap): metadata.name is required' },
    ]);
  });

  it('refuses Pods and ReplicaSets, saying why and to use a Deployment', () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers: []\n`;
    const rs = `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: potato-facts-7f9c\n`;
    const problems = checkManifestText(`${pod}---\n${rs}`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual(['2:7 kind', '9:7 kind']);
    expect(problems[0].message).toBe(
      'document 1 (Pod debug): CD-as-a-Service does not deploy bare Pods: nothing would replace or roll them out. Put the pod template in a Deployment (spec.template) instead',
    );
    expect(problems[1].message).toMatch(/^document 2 \(ReplicaSet potato-facts-7f9c\): .*Deploy a Deployment with the same pod template instead$/);
  });

  it('refuses text that is not a Kubernetes object', () => {
    expect(checkManifestText('')).toEqual([{ severity: 'error', message: 'the manifest text is empty', line: 1, column: 1 }]);
    expect(checkManifestText('---\n# nothing here\n')).toEqual([{ severity: 'error', message: 'the manifest text holds no Kubernetes object', line: 1, column: 1 }]);
    expect(checkManifestText('- apiVersion: v1\n')[0].message).toBe('the manifest must be a Kubernetes object (a map with apiVersion, kind and metadata)');
  });
});

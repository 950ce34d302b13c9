import { MIN_KUBERNETES_VERSION, kubernetesSupported, parseKubernetesVersion } from './kubernetes';

describe('Kubernetes versions', () => {
  it('reads the forms clusters report', () => {
    expect(parseKubernetesVersion('v1.15.3')).toEqual({ major: 1, minor: 15 });
    expect(parseKubernetesVersion(' 1.21.0-eks-1 ')).toEqual({ major: 1, minor: 21 });
    expect(parseKubernetesVersion('unknown')).toBeUndefined();
  });

  it('supports MIN_KUBERNETES_VERSION and later, compared as numbers', () => {
    expect(MIN_KUBERNETES_VERSION).toBe('1.16');
    expect(kubernetesSupported('1.16')).toBe(true);
    expect(kubernetesSupported('1.29.4')).toBe(true);
    expect(kubernetesSupported('2.0')).toBe(true);
    expect(kubernetesSupported('1.15.12')).toBe(false);
    expect(kubernetesSupported('1.9')).toBe(false);
    expect(kubernetesSupported('0.99')).toBe(false);
    expect(kubernetesSupported('')).toBeUndefined();
  });
});

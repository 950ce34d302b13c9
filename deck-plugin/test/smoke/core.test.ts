test('core loads', async () => {
  const core = await import('@spinnaker/core');
  expect(core.SETTINGS.gateUrl).toBe('http://gate.test');
  expect(typeof core.FormikStageConfig).toBe('function');
});

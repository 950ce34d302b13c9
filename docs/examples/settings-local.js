// The bridge's deploy listener, as Orca reaches it. Deck writes it into every CD-as-a-Service stage.
window.spinnakerSettings.cdaas = {
  bridgeUrl: 'http://cdaas-bridge.spinnaker.svc:7002',
};

// Runs before @spinnaker/core is evaluated (imported first by main.ts): Bootstrap's JS and
// angular's jqLite replacement both look for a global jQuery when their modules load.
import $ from 'jquery';

const w = window as unknown as Record<string, unknown>;
w.$ = $;
w.jQuery = $;

// The Deck app shell. Real Deck's app package is not on npm; this is the few lines it does to boot
// @spinnaker/core: settings (set by /settings.js before this module), jQuery, one angular module
// that depends on CORE_MODULE, and a strict-DI bootstrap on <spinnaker></spinnaker>.
import './globals';

import angular from 'angular';
import { CORE_MODULE } from '@spinnaker/core';

angular.module('netflix.spinnaker', [CORE_MODULE]);
angular.bootstrap(document.body, ['netflix.spinnaker'], { strictDi: true });

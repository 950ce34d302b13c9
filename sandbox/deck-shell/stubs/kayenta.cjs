module.exports = require('./unavailable.cjs')('@spinnaker/kayenta');

module.exports = require('./unavailable.cjs')('ajv');

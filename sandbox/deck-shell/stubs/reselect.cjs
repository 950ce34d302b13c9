module.exports = require('./unavailable.cjs')('reselect');

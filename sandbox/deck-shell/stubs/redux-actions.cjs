module.exports = require('./unavailable.cjs')('redux-actions');

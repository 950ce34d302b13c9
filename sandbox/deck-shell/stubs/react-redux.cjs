module.exports = require('./unavailable.cjs')('react-redux');

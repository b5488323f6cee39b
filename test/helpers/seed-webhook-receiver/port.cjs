// Preloaded into the seed's receiver (node --require): its app.listen(3000) listens on
// RECEIVER_PORT (0: any free port) on the loopback interface instead, and the port is printed.
const http = require('node:http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  if (port === 3000) {
    this.once('listening', () => console.log(`PORT ${this.address().port}`));
    return listen.call(this, Number(process.env.RECEIVER_PORT || 0), '127.0.0.1', ...rest.filter((a) => typeof a === 'function'));
  }
  return listen.call(this, port, ...rest);
};

// The Node.js echo server of bench/ws.sh: ws 8.x (bufferutil for masking), no compression.
//   node bench/node/echo.js PORT [PROCESSES]
// PROCESSES > 1: the cluster module (its primary accepts, round-robin hands connections
// to the workers). Prints "READY <port>" once every process listens.
'use strict';
const cluster = require('cluster');
const port = Number(process.argv[2] || 9504);
const n = Number(process.argv[3] || 1);

function serve() {
    const { WebSocketServer } = require('ws');
    const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false,
                                      maxPayload: 64 << 20, clientTracking: false });
    wss.on('connection', (ws) => {
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
        ws.on('error', () => {});
    });
    return wss;
}

if (n <= 1) {
    serve().on('listening', () => console.log(`READY ${port}`));
} else if (cluster.isPrimary) {
    let up = 0;
    for (let i = 0; i < n; i++) cluster.fork();
    cluster.on('listening', () => { if (++up === n) console.log(`READY ${port}`); });
} else {
    serve();
}

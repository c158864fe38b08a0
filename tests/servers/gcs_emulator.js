// SPDX-License-Identifier: Apache-2.0
// Runs the Google Cloud Storage JSON API of firebase-tools' storage emulator without the firebase
// command, which needs Java and a rules jar it downloads. The JSON API routes use the emulator's admin
// storage layer and never consult rules. This relies on firebase-tools internals: keep its version pinned
// in gcs.sh.
//
// Every request is appended to REQUEST_LOG as "METHOD URL" so that suites can count writes.
//
//   node gcs_emulator.js NPM_DIR HOST PORT REQUEST_LOG
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const [npmDir, host, portText, requestLog] = process.argv.slice(2);
if (!npmDir || !host || !portText || !requestLog) {
  console.error('usage: node gcs_emulator.js NPM_DIR HOST PORT REQUEST_LOG');
  process.exit(2);
}
const port = Number(portText);
const emulator = path.join(npmDir, 'node_modules', 'firebase-tools', 'lib', 'emulator');
const { StorageEmulator } = require(path.join(emulator, 'storage'));
const { createApp } = require(path.join(emulator, 'storage', 'server'));
const { EmulatorRegistry } = require(path.join(emulator, 'registry'));

(async () => {
  const storage = new StorageEmulator({ projectId: 'demo-test', host, port, auto_download: false });
  // The routes look the emulator up here to build selfLink, mediaLink and upload URLs.
  EmulatorRegistry.set('storage', storage);
  const app = await createApp('demo-test', storage);
  const log = fs.openSync(requestLog, 'a');
  const server = http.createServer((request, response) => {
    fs.writeSync(log, `${request.method} ${request.url}\n`);
    app(request, response);
  });
  server.listen(port, host, () => console.log(`gcs emulator on http://${host}:${port}`));
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});

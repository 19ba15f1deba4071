export { closeNow, listen, listeningPort } from './http-listener.js';

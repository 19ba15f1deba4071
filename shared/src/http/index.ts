export { listen, listeningPort, sideServer, type SideServer } from './http-listener.js';

export { startBridge, MAX_BODY_BYTES, type Bridge, type BridgeOptions } from './server'
export { RENDERER_CSP } from './csp'

import { startDesktop } from './electron/main'

startDesktop(__dirname)

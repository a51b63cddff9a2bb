import type { ErrorInfo } from '../../../../shared/errors'
import type { ClientTool } from './search'

/** The tool a backup would use, or why there is none. Warnings are worth showing but not blocking. */
export type ToolChoice =
  | { tool: ClientTool; warnings: string[]; error: null }
  | { tool: null; warnings: string[]; error: ErrorInfo }

export const chosen = (tool: ClientTool, warnings: string[] = []): ToolChoice => ({ tool, warnings, error: null })
export const noTool = (error: ErrorInfo, warnings: string[] = []): ToolChoice => ({ tool: null, warnings, error })

export type Os = 'linux' | 'darwin' | 'win32'
export const osOf = (platform: NodeJS.Platform): Os => (platform === 'win32' || platform === 'darwin' ? platform : 'linux')

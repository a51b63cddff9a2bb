/** Absolute on POSIX (/x) or Windows (C:\x, \\server\share). */
export const isAbsolutePath = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')

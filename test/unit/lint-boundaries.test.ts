import { ESLint } from 'eslint'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: join(__dirname, '..', '..') })

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

/** The process boundaries of DESIGN.md §2, as the linter enforces them. */
describe('lint boundaries', () => {
  it('forbids electron in core, shared, CLI and bridge code', async () => {
    for (const file of ['src/main/core/x.ts', 'src/shared/x.ts', 'src/main/cli/x.ts', 'src/main/bridge/x.ts']) {
      expect(await restrictedImports(file, "import { app } from 'electron'\nexport const a = app\n"), file).toHaveLength(1)
    }
    expect(await restrictedImports('src/main/electron/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toEqual([])
  })

  it('forbids Node built-ins and electron in the renderer and in shared code', async () => {
    for (const spec of ['node:fs', 'fs', 'child_process', 'electron']) {
      const code = `import * as m from '${spec}'\nexport const a = m\n`
      expect(await restrictedImports('src/renderer/x.ts', code), spec).toHaveLength(1)
      expect(await restrictedImports('src/shared/x.ts', code), spec).toHaveLength(1)
    }
    expect(await restrictedImports('src/main/core/x.ts', "import * as fs from 'node:fs'\nexport const a = fs\n")).toEqual([])
  })
})

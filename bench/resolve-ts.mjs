// Lets Node run the TypeScript sources directly (type stripping) although they import each other as `./x.js`,
// the NodeNext convention the bundler expects: a relative `.js` import that does not exist resolves to its `.ts`.
import { existsSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
      const url = new URL(specifier, context.parentURL)
      if (!existsSync(fileURLToPath(url))) {
        return nextResolve(specifier.slice(0, -3) + '.ts', context)
      }
    }
    return nextResolve(specifier, context)
  },
})

// graphql-codegen: typed documents for the operations in clients/operations, from the committed SDL.
import type { CodegenConfig } from '@graphql-codegen/cli'

export const outputDir = 'clients/generated/'

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['clients/operations/**/*.graphql'],
  ignoreNoDocuments: true,
  generates: {
    [outputDir]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
        documentMode: 'string',
      },
    },
  },
}

export default config

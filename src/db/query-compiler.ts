// Prisma compiles each query shape into a plan with its query compiler, WebAssembly that V8 compiles with Liftoff and
// then, for the functions it finds hot, again with TurboFan on background threads. At boot that tier-up compiled ~45
// functions, one of them for 2.5 s of CPU and 47 MB of compiler memory that the allocator then kept: Liftoff alone
// took 48 MB off the compiled server's idle RSS (docs/performance.md, issue 10 item 19). Plans are
// compiled once per shape and cached, and 300 distinct shapes took the same wall time with a third of the CPU, so
// Liftoff's slower code costs nothing measurable. V8 reads the flag when it compiles a module, so it is set only while
// the client loads its compiler: PGlite's WebAssembly (embedded mode), compiled before, still tiers up.
import v8 from 'node:v8'
import type { PrismaClient } from '../generated/prisma/client.ts'

/** Connects `prisma`, which loads its query compiler (once per process), with WebAssembly tier-up off meanwhile. */
export async function connectWithBaselineCompiler(prisma: PrismaClient): Promise<void> {
  v8.setFlagsFromString('--liftoff-only')
  try {
    await prisma.$connect()
  } finally {
    v8.setFlagsFromString('--no-liftoff-only')
  }
}

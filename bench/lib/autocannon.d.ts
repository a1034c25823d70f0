// The part of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Result { requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number; non2xx: number }
  export default function autocannon(opts: Record<string, unknown>): Promise<Result>
}

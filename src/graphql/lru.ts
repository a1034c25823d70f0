// Bounded caches of the GraphQL layer (compiled operations, shared subscription selections).

/** A bounded map that forgets the least recently used key first (a Map iterates in insertion order). */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>()
  constructor(readonly max: number) {}
  get size() { return this.map.size }
  get(key: K): V | undefined {
    const value = this.map.get(key)
    if (value === undefined) return undefined
    this.map.delete(key)
    this.map.set(key, value)
    return value
  }
  set(key: K, value: V) {
    this.map.delete(key)
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as K)
    this.map.set(key, value)
  }
}

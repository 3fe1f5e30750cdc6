/**
 * Messages that mean memory ran out, from every runtime the app uses: ONNX Runtime ("Failed to
 * allocate memory", std::bad_alloc), tfjs ("OOM when allocating tensor"), WebAssembly heaps
 * ("Cannot enlarge memory arrays", "memory access out of bounds", "Maximum memory size exceeded"),
 * V8 ("Array buffer allocation failed", "Invalid typed array length") and the C library
 * ("Cannot allocate memory"). Such failures become OUT_OF_MEMORY, with advice, rather than INTERNAL.
 */
const OUT_OF_MEMORY =
  /out of memory|bad_alloc|Failed to allocate|Cannot allocate memory|\bOOM\b|allocation failed|memory access out of bounds|Cannot enlarge memory|Maximum memory size exceeded|Invalid (typed )?array length/i;

export function isOutOfMemoryMessage(message: string): boolean {
  return OUT_OF_MEMORY.test(message);
}

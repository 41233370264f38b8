package golab.runtime.heap;

/**
 * A global variable of the run: a root object, as Go's data and BSS segments are roots (markroot's data/BSS
 * jobs scan them with the module's pointer mask). The model allocates it in the heap, so the GC must treat
 * each global as always marked and scan its pointer words with {@code type}'s pointer map.
 *
 * @param addr the object's address
 * @param type its type
 */
public record Global(long addr, Type type) {
}

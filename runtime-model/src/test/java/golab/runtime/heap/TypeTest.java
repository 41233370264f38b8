package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Type}: Go's struct layout (natural alignment, size rounded to the alignment) and pointer maps. */
class TypeTest {

    @Test
    void layoutFollowsGoStructRules() {
        Type t = Type.builder("rec").scalar("flag", 1).pointer("next").scalar("n", 4).scalar("tag", 2)
                .scalar("name", 3).build();
        assertThat(t.offset("flag")).isZero();
        assertThat(t.offset("next")).isEqualTo(8);
        assertThat(t.offset("n")).isEqualTo(16);
        assertThat(t.offset("tag")).isEqualTo(20);
        assertThat(t.offset("name")).isEqualTo(22);
        assertThat(t.size()).as("25 rounded up to the 8-byte alignment").isEqualTo(32);
        assertThat(t.align()).isEqualTo(8);
        assertThat(t.noscan()).isFalse();
        assertThat(t.ptrBytes()).isEqualTo(16);
        assertThat(t.isPointerWord(0)).isFalse();
        assertThat(t.isPointerWord(1)).isTrue();
        assertThat(t.isPointerWord(2)).isFalse();
        assertThat(t.isPointerWord(1000)).isFalse();
        assertThat(t.field("next").pointer()).isTrue();
    }

    @Test
    void pointerMapSpansManyWords() {
        Type.Builder b = Type.builder("wide");
        for (int i = 0; i < 70; i++) {
            if (i % 3 == 0) {
                b.pointer("p" + i);
            } else {
                b.scalar("s" + i, 8);
            }
        }
        Type t = b.build();
        assertThat(t.size()).isEqualTo(560);
        for (int w = 0; w < 70; w++) {
            assertThat(t.isPointerWord(w)).as("word %d", w).isEqualTo(w % 3 == 0);
        }
        assertThat(t.ptrBytes()).isEqualTo(69 * 8 + 8);
    }

    @Test
    void scalarOnlyTypesAreNoscanAndSmallTypesPack() {
        Type t = Type.builder("pair").scalar("a", 4).scalar("b", 4).build();
        assertThat(t.noscan()).isTrue();
        assertThat(t.size()).isEqualTo(8);
        assertThat(t.align()).isEqualTo(4);
        assertThat(Type.builder("empty").build().size()).isZero();
        assertThat(Type.BYTE.size()).isEqualTo(1);
        assertThat(Type.POINTER.isPointerWord(0)).isTrue();
    }

    @Test
    void badDefinitionsAreRejected() {
        assertThatThrownBy(() -> Type.builder("t").pointer("x").scalar("x", 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("type t already has a field x");
        assertThatThrownBy(() -> Type.builder("t").scalar("x", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field x of type t: size must be positive, got 0");
        assertThatThrownBy(() -> Type.builder("t").pointer("x").build().offset("y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("type t has no field y; fields: [x]");
    }
}

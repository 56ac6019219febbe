package dev.costmeter.schemas.serde;

import java.util.Random;

/** Random field values for the serde tests that compare a hand-written reader or writer with Avro's. */
final class RandomValues {

    private RandomValues() {
    }

    /** Small, large and negative values: varint lengths from one byte to ten. */
    static long number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(128);
            case 1 -> random.nextInt();
            case 2 -> random.nextLong();
            default -> -random.nextInt(1_000);
        };
    }

    /** Empty, ASCII, two-, three- and four-byte UTF-8, and separators. */
    static String text(Random random) {
        String[] pieces = {"", "acme", "gpt-4o", "\u00e9t\u00e9", "\u6771\u4eac", "\uD83D\uDE00", "a|b", "task-42"};
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}

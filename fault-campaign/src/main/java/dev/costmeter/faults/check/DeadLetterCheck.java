package dev.costmeter.faults.check;

import dev.costmeter.faults.oracle.ExpectedDeadLetter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Each bad record in the DLQ exactly once, with the reason its kind calls for; nothing else there. */
public final class DeadLetterCheck {

    private DeadLetterCheck() {
    }

    public static DeadLetterResult compare(Map<String, ExpectedDeadLetter> expected, List<DeadLetter> read) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, String> wrongReason = new LinkedHashMap<>();
        List<DeadLetter> unexpected = new ArrayList<>();
        for (DeadLetter letter : read) {
            ExpectedDeadLetter want = expected.get(letter.valueSha256());
            if (want == null) {
                unexpected.add(letter);
                continue;
            }
            counts.merge(letter.valueSha256(), 1, Integer::sum);
            if (!want.reason().equals(letter.reason())) {
                wrongReason.put(name(want), String.valueOf(letter.reason()));
            }
        }
        Set<String> missing = new TreeSet<>();
        Map<String, Integer> duplicated = new LinkedHashMap<>();
        expected.forEach((sha, want) -> {
            int count = counts.getOrDefault(sha, 0);
            if (count == 0) {
                missing.add(name(want));
            } else if (count > 1) {
                duplicated.put(name(want), count);
            }
        });
        return new DeadLetterResult(read.size(), missing, duplicated, wrongReason, unexpected);
    }

    private static String name(ExpectedDeadLetter letter) {
        return "poison #" + letter.poisonIndex() + " " + letter.kind();
    }
}

package dev.costmeter.bench;

import dev.costmeter.bench.MeteringBenchmark.Rates;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One shape's rounds: the ceiling's and metering's rates, and the comparison table over shapes.
 * Figures of several rounds are medians.
 */
record ShapeResult(WorkShape shape, List<Rates> copies, List<Rates> meterings) {

    static ShapeResult of(WorkShape shape, List<Rates> copies, List<Rates> meterings) {
        return new ShapeResult(shape, List.copyOf(copies), List.copyOf(meterings));
    }

    List<Double> ratios(ToDoubleFunction<Rates> rate) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < meterings.size(); i++) {
            ratios.add(100.0 * rate.applyAsDouble(meterings.get(i)) / rate.applyAsDouble(copies.get(i)));
        }
        return ratios;
    }

    double ratio(ToDoubleFunction<Rates> rate) {
        return median(ratios(rate));
    }

    double copy(ToDoubleFunction<Rates> rate) {
        return median(copies.stream().map(rate::applyAsDouble).toList());
    }

    double metering(ToDoubleFunction<Rates> rate) {
        return median(meterings.stream().map(rate::applyAsDouble).toList());
    }

    /**
     * A Markdown table, one row per shape, with metering's events/s against the reference shape's
     * (100,000 uniform tasks when measured, else the first): the figure the "degrades
     * gently" target is about.
     */
    static String table(List<ShapeResult> results) {
        ShapeResult reference = results.stream()
                .filter(r -> r.shape().tasks() == 100_000 && r.shape().distribution() == WorkShape.Distribution.UNIFORM)
                .findFirst().orElse(results.get(0));
        StringBuilder s = new StringBuilder(String.format("%nshape | ceiling events/s (whole · steady) | metering events/s "
                + "(whole · steady) | ratio whole · steady | metering CPU per event | metering vs %s (whole · steady)%n",
                reference.shape().label()));
        s.append("---|---|---|---|---|---\n");
        for (ShapeResult r : results) {
            s.append(String.format("%s | %,.0f · %,.0f | %,.0f · %,.0f | %.1f%% · %.1f%% | %.1f µs | %.1f%% · %.1f%%%n",
                    r.shape().label(), r.copy(Rates::overall), r.copy(Rates::steady), r.metering(Rates::overall),
                    r.metering(Rates::steady), r.ratio(Rates::overall), r.ratio(Rates::steady),
                    r.metering(Rates::cpuMicrosPerEvent),
                    100.0 * r.metering(Rates::overall) / reference.metering(Rates::overall),
                    100.0 * r.metering(Rates::steady) / reference.metering(Rates::steady)));
        }
        return s.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}

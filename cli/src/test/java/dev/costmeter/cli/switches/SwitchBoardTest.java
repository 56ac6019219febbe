package dev.costmeter.cli.switches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SwitchBoardTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void shouldIssueTheClockTermWhenItIsAboveTheLastSequence() {
        long nowMs = NOW.toEpochMilli();

        assertThat(SwitchBoard.nextSequence(0, nowMs)).isEqualTo(nowMs * 1000);
        assertThat(SwitchBoard.nextSequence(nowMs * 1000 - 5, nowMs)).isEqualTo(nowMs * 1000);
    }

    @Test
    void shouldIssueLastPlusOneWhenTheTopicIsAheadOfTheClock() {
        long nowMs = NOW.toEpochMilli();

        assertThat(SwitchBoard.nextSequence(nowMs * 1000, nowMs)).isEqualTo(nowMs * 1000 + 1);
        assertThat(SwitchBoard.nextSequence(Long.MAX_VALUE - 1, 0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldKeepTheHighestSequenceWhenALaterRecordCarriesALowerOne() {
        SwitchBoard board = new SwitchBoard();
        board.apply("route:chat", command("route:chat", SwitchAction.BLOCK, 500, null));
        board.apply("route:chat", command("route:chat", SwitchAction.ALLOW, 300, null));

        assertThat(board.lastSequence("route:chat")).isEqualTo(500);
        assertThat(board.lastSequence("route:other")).isZero();
        assertThat(board.latest().get("route:chat").getAction()).as("the replayed ALLOW lifts nothing").isEqualTo(SwitchAction.BLOCK);
    }

    @Test
    void shouldCountOnlyUnexpiredBlocksAndDegradesAsInForce() {
        SwitchBoard board = new SwitchBoard();
        board.apply("route:a", command("route:a", SwitchAction.BLOCK, 1, null));
        board.apply("route:b", command("route:b", SwitchAction.DEGRADE, 1, NOW.plusSeconds(1)));
        board.apply("route:c", command("route:c", SwitchAction.BLOCK, 1, NOW));
        board.apply("route:d", command("route:d", SwitchAction.ALLOW, 1, null));
        board.apply("route:e", command("route:e", SwitchAction.BLOCK, 1, null));
        board.apply("route:e", null);

        assertThat(board.inForce(NOW)).as("a tombstone never lifts route:e").extracting(ControlCommand::getScope)
                .containsExactly("route:a", "route:b", "route:e");
        assertThat(SwitchBoard.state(board.latest().get("route:c"), NOW)).isEqualTo(SwitchBoard.State.EXPIRED);
        assertThat(SwitchBoard.state(board.latest().get("route:d"), NOW)).isEqualTo(SwitchBoard.State.LIFTED);
    }

    static ControlCommand command(String scope, SwitchAction action, long sequence, Instant expires) {
        return ControlCommand.newBuilder().setScope(scope).setAction(action).setReason("test").setIssuedAt(NOW.minusSeconds(60))
                .setExpiresAt(expires).setIssuer("operator:test").setSequence(sequence).setKeyId("k").setSignature("").build();
    }
}

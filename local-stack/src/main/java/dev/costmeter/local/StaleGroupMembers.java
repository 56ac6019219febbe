package dev.costmeter.local;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the members an earlier run left in the stream apps' groups. An instance that did not
 * leave its group on the way out (Kafka Streams does not, by default) stays a member until its
 * session times out, and a new instance's first rebalance waits for it: 45 s of a restart spent
 * waiting for nobody. Only done when the stack starts, when none of its app instances runs yet.
 */
final class StaleGroupMembers {

    private static final Logger log = LoggerFactory.getLogger(StaleGroupMembers.class);

    private StaleGroupMembers() {
    }

    static void remove(Admin admin, Collection<String> groupIds) throws InterruptedException {
        for (String groupId : groupIds) {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId))
                        .describedGroups().get(groupId).get(10, TimeUnit.SECONDS);
                if (group.members().isEmpty()) {
                    continue;
                }
                admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions())
                        .all().get(10, TimeUnit.SECONDS);
                log.info("Removed {} member(s) an earlier run left in group {}", group.members().size(), groupId);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (cause instanceof GroupIdNotFoundException) {
                    continue;  // a new stack: no group yet
                }
                // Only time is lost: the new instance waits out the old session as it would have.
                log.warn("Could not remove earlier members of group {} ({}); its first rebalance may wait for them",
                        groupId, cause.toString());
            }
        }
    }
}

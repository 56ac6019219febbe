package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.local.security.StackAcls;
import dev.costmeter.schemas.topics.TopicNames;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi {@code KafkaUser} resources (deploy/k8s/users.yaml) grant exactly what the secure
 * local stack's ACLs grant ({@link StackAcls}): the same users, SCRAM-SHA-512, and the same
 * resources, patterns and operations, so that only alerting and the operator write control, only
 * the operator prices and budgets, in production as on a laptop.
 */
class KafkaUsersTest {

    @Test
    void shouldGrantOnKubernetesExactlyTheAclsOfTheSecureLocalStack() {
        Set<String> declared = new TreeSet<>();
        for (JsonNode user : DeployFiles.kubernetesResources("KafkaUser")) {
            String name = user.path("metadata").path("name").asText();
            assertThat(user.path("spec").path("authentication").path("type").asText()).as(name).isEqualTo("scram-sha-512");
            assertThat(user.path("spec").path("authorization").path("type").asText()).as(name).isEqualTo("simple");
            assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(name).isEqualTo("costmeter");
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                for (JsonNode operation : acl.path("operations")) {
                    declared.add(String.join(" ", "User:" + name, resource.path("type").asText().toLowerCase(Locale.ROOT),
                            resource.path("name").asText(), resource.path("patternType").asText("literal"),
                            operation.asText().toLowerCase(Locale.ROOT)));
                }
            }
        }

        Set<String> local = new TreeSet<>();
        for (AclBinding binding : StackAcls.bindings(TopicNames.defaults(), "costmeter-metering", "costmeter-alerting")) {
            local.add(String.join(" ", binding.entry().principal(),
                    binding.pattern().resourceType().name().replace("_", "").toLowerCase(Locale.ROOT),
                    binding.pattern().name(), binding.pattern().patternType() == PatternType.PREFIXED ? "prefix" : "literal",
                    binding.entry().operation().name().replace("_", "").toLowerCase(Locale.ROOT)));
        }

        assertThat(declared).isEqualTo(local);
    }

    @Test
    void shouldLetOnlyAlertingAndTheOperatorWriteControlOnKubernetes() {
        Set<String> writers = new TreeSet<>();
        for (JsonNode user : DeployFiles.kubernetesResources("KafkaUser")) {
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                boolean control = acl.path("resource").path("name").asText().equals(TopicNames.defaults().control());
                for (JsonNode operation : acl.path("operations")) {
                    if (control && (operation.asText().equals("Write") || operation.asText().equals("All"))) {
                        writers.add(user.path("metadata").path("name").asText());
                    }
                }
            }
        }
        assertThat(writers).containsExactly("costmeter-alerting", "costmeter-operator");
    }
}

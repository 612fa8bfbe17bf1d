package io.triad.infra.azure;

import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Where the GPU pool's nodes live: a virtual network of their own and one subnet, whose only way
 * out is a NAT gateway (Azure ended default outbound access for new subnets in September 2025). The
 * nodes get no public IP and nothing can reach them; through the gateway they pull the trainer
 * image, reach Storage and talk to the Batch service (simplified node communication, outbound
 * only).
 */
final class AzureNodeNetwork extends Construct {

  static final String ADDRESS_SPACE = "10.65.0.0/16";
  static final String NODE_SUBNET = "10.65.0.0/20";

  private final Subnet subnet;
  private final Resource outbound;

  AzureNodeNetwork(Construct scope, String id, String name, AzureResourceGroup group) {
    super(scope, id);
    Resource network =
        new Resource(
            this,
            "network",
            "azurerm_virtual_network",
            Map.of(
                "name", name,
                "resource_group_name", group.name(),
                "location", group.location(),
                "address_space", List.of(ADDRESS_SPACE)));
    subnet =
        new Subnet(
            this,
            "nodes",
            Map.of(
                "name", "nodes",
                "resource_group_name", group.name(),
                "virtual_network_name", network.attribute("name"),
                "address_prefixes", List.of(NODE_SUBNET),
                // nothing leaves except through the NAT gateway
                "default_outbound_access_enabled", false));
    Resource address =
        new Resource(
            this,
            "nat-address",
            "azurerm_public_ip",
            Map.of(
                "name",
                name + "-nat",
                "resource_group_name",
                group.name(),
                "location",
                group.location(),
                "allocation_method",
                "Static",
                "sku",
                "Standard"));
    Resource gateway =
        new Resource(
            this,
            "nat",
            "azurerm_nat_gateway",
            Map.of(
                "name",
                name + "-nat",
                "resource_group_name",
                group.name(),
                "location",
                group.location(),
                "sku_name",
                "Standard"));
    new Resource(
        this,
        "nat-address-association",
        "azurerm_nat_gateway_public_ip_association",
        Map.of("nat_gateway_id", gateway.id(), "public_ip_address_id", address.id()));
    outbound =
        new Resource(
            this,
            "nodes-outbound",
            "azurerm_subnet_nat_gateway_association",
            Map.of("subnet_id", subnet.id(), "nat_gateway_id", gateway.id()));
  }

  /** The node subnet's id. */
  String subnetId() {
    return subnet.id();
  }

  /** The subnet's way out, which nodes need before they start: {@code type.name}. */
  String outboundFqn() {
    return "azurerm_subnet_nat_gateway_association." + outbound.getFriendlyUniqueId();
  }

  private static final class Subnet extends AzureResource {
    Subnet(Construct scope, String id, Map<String, ?> attributes) {
      super(scope, id, "azurerm_subnet", attributes);
    }
  }

  private static final class Resource extends AzureResource {
    Resource(Construct scope, String id, String type, Map<String, ?> attributes) {
      super(scope, id, type, attributes);
    }
  }
}

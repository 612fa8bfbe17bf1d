package io.triad.infra.aws;

import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.Token;
import com.hashicorp.cdktf.providers.aws.data_aws_availability_zones.DataAwsAvailabilityZones;
import com.hashicorp.cdktf.providers.aws.data_aws_availability_zones.DataAwsAvailabilityZonesConfig;
import com.hashicorp.cdktf.providers.aws.eip.Eip;
import com.hashicorp.cdktf.providers.aws.eip.EipConfig;
import com.hashicorp.cdktf.providers.aws.nat_gateway.NatGateway;
import com.hashicorp.cdktf.providers.aws.nat_gateway.NatGatewayConfig;
import com.hashicorp.cdktf.providers.aws.route.Route;
import com.hashicorp.cdktf.providers.aws.route.RouteConfig;
import com.hashicorp.cdktf.providers.aws.route_table.RouteTable;
import com.hashicorp.cdktf.providers.aws.route_table.RouteTableConfig;
import com.hashicorp.cdktf.providers.aws.route_table_association.RouteTableAssociation;
import com.hashicorp.cdktf.providers.aws.route_table_association.RouteTableAssociationConfig;
import com.hashicorp.cdktf.providers.aws.subnet.Subnet;
import com.hashicorp.cdktf.providers.aws.subnet.SubnetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Private subnets for the GPU nodes in the account's default VPC, when {@code aws.network} names
 * none: two (two zones, more spot capacity) that give no public IP, whose only way out is a NAT
 * gateway in one of the default (public) subnets. Nodes reach ECR, S3, CloudWatch and ECS through
 * it; nothing reaches them. The ranges are the top of 172.31.0.0/16, above the default subnets.
 */
final class AwsNodeNetwork extends Construct {

  static final List<String> PRIVATE_RANGES = List.of("172.31.224.0/20", "172.31.240.0/20");

  private final List<String> subnetIds = new ArrayList<>();

  AwsNodeNetwork(
      Construct scope, String id, String name, String vpcId, List<String> publicSubnetIds) {
    super(scope, id);
    DataAwsAvailabilityZones zones =
        new DataAwsAvailabilityZones(
            this, "zones", DataAwsAvailabilityZonesConfig.builder().state("available").build());
    Eip address =
        new Eip(
            this,
            "nat-address",
            EipConfig.builder().domain("vpc").tags(Map.of("Name", name + "-nat")).build());
    NatGateway nat =
        new NatGateway(
            this,
            "nat",
            NatGatewayConfig.builder()
                .allocationId(address.getId())
                .subnetId(Token.asString(Fn.element(publicSubnetIds, 0)))
                .tags(Map.of("Name", name + "-nat"))
                .build());
    RouteTable routes =
        new RouteTable(
            this,
            "routes",
            RouteTableConfig.builder()
                .vpcId(vpcId)
                .tags(Map.of("Name", name + "-private"))
                .build());
    new Route(
        this,
        "out",
        RouteConfig.builder()
            .routeTableId(routes.getId())
            .destinationCidrBlock("0.0.0.0/0")
            .natGatewayId(nat.getId())
            .build());
    for (int i = 0; i < PRIVATE_RANGES.size(); i++) {
      Subnet subnet =
          new Subnet(
              this,
              "private-" + i,
              SubnetConfig.builder()
                  .vpcId(vpcId)
                  .cidrBlock(PRIVATE_RANGES.get(i))
                  .availabilityZone(Token.asString(Fn.element(zones.getNames(), i)))
                  .mapPublicIpOnLaunch(false)
                  .tags(Map.of("Name", name + "-private-" + i))
                  .build());
      new RouteTableAssociation(
          this,
          "private-" + i + "-routes",
          RouteTableAssociationConfig.builder()
              .subnetId(subnet.getId())
              .routeTableId(routes.getId())
              .build());
      subnetIds.add(subnet.getId());
    }
  }

  /** The private subnets, for the compute environment. */
  List<String> subnetIds() {
    return List.copyOf(subnetIds);
  }
}

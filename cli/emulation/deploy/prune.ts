/**
 * What moto's CloudFormation can create, and a template cut down to it for a prediction.
 *
 * moto 5.2.1 silently skips resource types it does not implement, and a resource that refers to a
 * skipped one receives no value for that property: its model then raises (HTTP 500), e.g. an
 * AWS::Lambda::Permission whose FunctionName is the Ref of an AWS::Lambda::Alias. Custom resources
 * never complete in moto (their provider would run at deploy time). So a prediction sends moto only
 * what it can create: unsupported resources, custom resources, and, transitively, every resource and
 * output that refers to one are left out, each with the reason, for the report to list.
 */
import type { CfnResource, CfnTemplate } from '../template.ts';
import { isRecord } from './values.ts';

/** `sorted(moto.cloudformation.parsing.get_model_map())` of moto 5.2.1, placeholders removed. */
export const MOTO_CLOUDFORMATION_TYPES: ReadonlySet<string> = new Set([
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::RestApi',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::AutoScaling::ScheduledAction',
  'AWS::Batch::ComputeEnvironment',
  'AWS::Batch::JobDefinition',
  'AWS::Batch::JobQueue',
  'AWS::CloudFormation::Stack',
  'AWS::CloudWatch::Dashboard',
  'AWS::DataPipeline::Pipeline',
  'AWS::DynamoDB::Table',
  'AWS::EC2::EIP',
  'AWS::EC2::FlowLog',
  'AWS::EC2::Instance',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::NatGateway',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::Route',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SpotFleet',
  'AWS::EC2::Subnet',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::VPC',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::VPCPeeringConnection',
  'AWS::EC2::VPNGateway',
  'AWS::EC2::Volume',
  'AWS::EC2::VolumeAttachment',
  'AWS::ECR::Repository',
  'AWS::ECS::Cluster',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::EFS::AccessPoint',
  'AWS::EFS::FileSystem',
  'AWS::EFS::MountTarget',
  'AWS::EMR::Cluster',
  'AWS::EMR::InstanceGroupConfig',
  'AWS::EMR::SecurityConfiguration',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::Events::Archive',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::IAM::AccessKey',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IoT::BillingGroup',
  'AWS::IoT::JobTemplate',
  'AWS::IoT::Policy',
  'AWS::IoT::RoleAlias',
  'AWS::IoT::Thing',
  'AWS::IoT::ThingType',
  'AWS::KMS::Alias',
  'AWS::KMS::Key',
  'AWS::Kinesis::Stream',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Lambda::LayerVersion',
  'AWS::Lambda::Permission',
  'AWS::Lambda::Version',
  'AWS::Logs::LogGroup',
  'AWS::Logs::ResourcePolicy',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBParameterGroup',
  'AWS::RDS::DBSecurityGroup',
  'AWS::RDS::DBSubnetGroup',
  'AWS::Redshift::Cluster',
  'AWS::Redshift::ClusterParameterGroup',
  'AWS::Redshift::ClusterSubnetGroup',
  'AWS::Route53::HealthCheck',
  'AWS::Route53::HostedZone',
  'AWS::Route53::RecordSet',
  'AWS::Route53::RecordSetGroup',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::SSM::Document',
  'AWS::SSM::Parameter',
  'AWS::SageMaker::Endpoint',
  'AWS::SageMaker::EndpointConfig',
  'AWS::SageMaker::Model',
  'AWS::SageMaker::NotebookInstance',
  'AWS::SageMaker::NotebookInstanceLifecycleConfig',
  'AWS::StepFunctions::StateMachine',
]);

export const CUSTOM_RESOURCE_TYPE = /^(Custom::|AWS::CloudFormation::CustomResource$)/;

/** A resource or output left out of what moto receives, and why. */
export interface PrunedEntry {
  readonly logicalId: string;
  /** The resource type, or `Output` for an output. */
  readonly type: string;
  readonly reason: string;
}

/**
 * Logical ids a value refers to. `hard` references break moto when the target is missing: a Ref that
 * is a whole value (moto drops the property) and every Fn::GetAtt (moto answers "references
 * undefined resource"); a Ref inside Fn::Join or a `${Name}` inside Fn::Sub only leaves a placeholder
 * in the string.
 */
export function referencedIds(value: unknown, hard = false): Set<string> {
  const found = new Set<string>();
  const visit = (item: unknown, inString: boolean): void => {
    if (Array.isArray(item)) {
      for (const entry of item) visit(entry, inString);
      return;
    }
    if (!isRecord(item)) return;
    for (const [key, inner] of Object.entries(item)) {
      if (key === 'Ref' && typeof inner === 'string') {
        if (!hard || !inString) found.add(inner);
      } else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(inner)
          ? inner[0]
          : typeof inner === 'string'
            ? inner.split('.')[0]
            : undefined;
        if (typeof target === 'string') found.add(target);
        else visit(inner, inString);
      } else if (key === 'Fn::Sub') {
        const body = Array.isArray(inner) ? inner[0] : inner;
        const variables = Array.isArray(inner) && isRecord(inner[1]) ? inner[1] : {};
        if (typeof body === 'string') {
          for (const match of body.matchAll(/\$\{([^}!][^}]*)\}/g)) {
            const [name = '', attribute] = (match[1] ?? '').trim().split('.');
            if (name in variables || name.startsWith('AWS::')) continue;
            if (!hard || attribute !== undefined) found.add(name);
          }
        }
        visit(variables, true);
      } else visit(inner, inString || key === 'Fn::Join');
    }
  };
  visit(value, false);
  return found;
}

/**
 * The template without what would break moto. Custom resources leave (moto waits for their provider
 * forever), and so does every resource that refers to a resource that left, or that refers to a type
 * moto skips in a way moto cannot survive (see referencedIds). Types moto skips stay in the template:
 * a Ref to them inside a string is survivable, and the inventory explains them. `createdLater` are
 * the types the deploy helper creates itself after CreateStack: its appliers resolve every reference,
 * so they leave when any of theirs is missing, and moto must not depend on them either.
 */
export function pruneForMoto(
  template: CfnTemplate,
  createdLater: ReadonlySet<string>,
): { template: CfnTemplate; pruned: PrunedEntry[] } {
  const resources = template.Resources;
  const typeOf = (id: string) => resources[id]?.Type ?? '';
  const skippedByMoto = (id: string) =>
    id in resources && !MOTO_CLOUDFORMATION_TYPES.has(typeOf(id)) && !CUSTOM_RESOURCE_TYPE.test(typeOf(id));
  const removed = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (CUSTOM_RESOURCE_TYPE.test(resource.Type)) {
      removed.set(logicalId, 'a custom resource: its provider runs only in a real deployment');
    }
  }
  const softRefs = new Map(Object.entries(resources).map(([id, r]) => [id, referencedIds(r.Properties)]));
  const hardRefs = new Map(
    Object.entries(resources).map(([id, r]) => [id, referencedIds(r.Properties, true)]),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (removed.has(logicalId)) continue;
      const later = createdLater.has(resource.Type);
      if (!later && skippedByMoto(logicalId)) continue;
      const missing =
        [...(softRefs.get(logicalId) ?? [])].find(
          (id) => removed.has(id) || (later && skippedByMoto(id) && !createdLater.has(typeOf(id))),
        ) ?? (later ? undefined : [...(hardRefs.get(logicalId) ?? [])].find((id) => skippedByMoto(id)));
      if (missing) {
        removed.set(
          logicalId,
          `refers to ${missing} (${typeOf(missing)}), which the emulator does not create`,
        );
        changed = true;
      }
    }
  }
  const pruned: PrunedEntry[] = [];
  const kept: Record<string, CfnResource> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    const reason = removed.get(logicalId);
    if (reason) {
      pruned.push({ logicalId, type: resource.Type, reason });
      continue;
    }
    if (resource.DependsOn === undefined) {
      kept[logicalId] = resource;
      continue;
    }
    // CloudFormation rejects a DependsOn on a resource the template does not have.
    const dependsOn = (Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn]).filter(
      (id) => !removed.has(id),
    );
    const { DependsOn: _dropped, ...rest } = resource;
    kept[logicalId] = (dependsOn.length > 0 ? { ...rest, DependsOn: dependsOn } : rest) as CfnResource;
  }
  const outputs: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    const missing = [...referencedIds(output)].find((id) => removed.has(id) || skippedByMoto(id));
    if (missing)
      pruned.push({ logicalId: name, type: 'Output', reason: `refers to ${missing} (${typeOf(missing)})` });
    else outputs[name] = output;
  }
  return {
    template: { ...template, Resources: kept, ...(template.Outputs ? { Outputs: outputs } : {}) },
    pruned,
  };
}

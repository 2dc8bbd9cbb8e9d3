import { ApiObject, ApiObjectProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * @internal An object a construct emits from its plan, which knows whether it still renders what
 * the plan made: no JSON patch added, its props object not changed since. The App check then reads
 * the plan, which passed the same rules, instead of rendering the object once more.
 */
export class PlannedObject extends ApiObject {
  /** The props as given, as JSON: a change of the props object changes it. */
  private readonly planned: string;
  private readonly given: ApiObjectProps;
  private patched = false;

  constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
    this.given = props;
    this.planned = JSON.stringify(props);
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  /** @internal True while the object renders what its plan made. */
  public unchangedSincePlan(): boolean {
    return !this.patched && JSON.stringify(this.given) === this.planned;
  }
}

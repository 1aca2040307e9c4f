// Back in the multi-step inputs, after quickinput-sample's MultiStepInput but fitted to flows written as
// straight code (`await` one prompt after the other, arguments skipping some): Back runs the flow again from
// its start. The prompts before the one to return to are answered with what was accepted in them, without
// showing; the one returned to, and those after it, open with what was last in them.
import type * as vscode from 'vscode';

/** The title and "step/total" of one prompt; a prompt of a flow gets Back from the flow's second prompt on. */
export interface Step {
  title: string;
  step: number;
  totalSteps: number;
  flow?: PromptFlow;
}

/** A prompt settles with its answer, undefined (Escape: the whole flow is cancelled) or BACK. */
export const BACK = Symbol('back');
export type Answer<T> = T | undefined | typeof BACK;

/** What a prompt of a flow is told when it shows. */
export interface FlowPrompt {
  /** Whether it shows the Back button. */
  back: boolean;
  /** What was in it when the user last left it (accepted, or typed before Back): it opens with that. */
  kept?: string;
  keep(value: string): void;
}

/** A prompt outside any flow: no Back, nothing kept. */
export const outsideFlow: FlowPrompt = { back: false, keep: () => undefined };

/** Unwinds the flow's code back to `PromptFlow.run`, which runs it again. */
class Rewind {}

export class PromptFlow {
  /** The answers accepted so far, by the prompt's position in the flow. */
  private readonly answers: unknown[] = [];
  private readonly kept = new Map<string, string>();
  /** Prompts before this position are answered from `answers` on the next run. */
  private returnTo = 0;
  private position = 0;
  private count = 0;
  private total = 0;

  private constructor(private readonly title: string) {}

  /**
   * Runs `body` (the prompts of one command, in order) until it returns; Back runs it again. `planned` is the
   * number of questions expected. The body must ask the same prompts in the same order for the same answers:
   * the prompts before the one returned to are not shown again.
   */
  static async run<T>(title: string, planned: number, body: (flow: PromptFlow) => Promise<T>): Promise<T> {
    const flow = new PromptFlow(title);
    for (;;) {
      flow.position = flow.count = 0;
      flow.total = Math.max(planned, 1);
      try {
        return await body(flow);
      } catch (e) {
        if (!(e instanceof Rewind)) throw e;
      }
    }
  }

  /** The step of the next prompt. */
  next(): Step {
    this.count++;
    return { title: this.title, step: this.count, totalSteps: Math.max(this.total, this.count), flow: this };
  }

  /** One more question than planned will be asked (known once an answer is): the count grows now. */
  more(): void {
    this.total++;
  }

  /** The step of a question that was not planned (a VBotID nobody set): it stretches the count. */
  extra(): Step {
    this.more();
    return this.next();
  }

  /** Shows one prompt of the flow (`key` names its question, for what it keeps), or answers it as before. */
  async ask<T>(key: string, show: (prompt: FlowPrompt) => Promise<Answer<T>>): Promise<T | undefined> {
    const at = this.position++;
    if (at < this.returnTo) return this.answers[at] as T;
    const answer = await show({ back: at > 0, kept: this.kept.get(key), keep: (v) => this.kept.set(key, v) });
    if (answer !== BACK) {
      this.answers[at] = answer;
      return answer;
    }
    this.returnTo = at - 1;
    throw new Rewind();
  }
}

/** Shows a prompt as a step of its flow when it has one, else on its own (no Back). */
export function askInStep<T>(step: Step, key: string, show: (prompt: FlowPrompt) => Promise<Answer<T>>): Promise<T | undefined> {
  if (step.flow) return step.flow.ask(key, show);
  return show(outsideFlow).then((a) => (a === BACK ? undefined : a));
}

/** The inputs a flow can show: both have buttons (Back is one). */
export type FlowInput = vscode.QuickInput & {
  onDidAccept: vscode.Event<void>;
  buttons: readonly vscode.QuickInputButton[];
  onDidTriggerButton: vscode.Event<vscode.QuickInputButton>;
};

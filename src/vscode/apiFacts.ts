// What compatibility checks learned, per API, in the extension's global state (never a setting): read by the
// ApiRunner for every client it makes, written by "VBot: Check API Compatibility…". Field names only.
import type * as vscode from 'vscode';
import { API_FACTS_KEY, apiFactsKey, rememberedUpdateNoBody, withUpdateNoBody } from '../core/apiFacts';
import type { RememberedApiFacts } from './apiRunner';

export class ApiFacts implements RememberedApiFacts {
  constructor(private readonly state: vscode.Memento) {}

  /** The updateNo body (`old/new`) the server at `origin` accepted, if a check found one. */
  updateNoBody(origin: string, apiVersion: 'v2' | 'v3'): string | undefined {
    return rememberedUpdateNoBody(this.state.get<unknown>(API_FACTS_KEY), apiFactsKey(origin, apiVersion));
  }

  async rememberUpdateNoBody(origin: string, apiVersion: 'v2' | 'v3', body: string): Promise<void> {
    await this.state.update(
      API_FACTS_KEY,
      withUpdateNoBody(this.state.get<unknown>(API_FACTS_KEY), apiFactsKey(origin, apiVersion), body, new Date()),
    );
  }
}

import { useState } from 'preact/hooks';
import { commaList, when } from '../format.js';
import type { NewSubscription, Subscription } from '../types.js';
import { ErrorNote, Field, formValues, isAdmin, type PageProps, Show, useLoad, DataTable, RemoveCell } from '../ui.js';

const STATES: Record<Subscription['state'], string> = {
  'pending-confirmation': 'pending: waiting for the e-mail to be confirmed',
  confirmed: 'confirmed',
  failed: 'failed',
};

function subscriptionOf(values: Record<string, string>): NewSubscription {
  const reporters = commaList(values.reporters ?? '');
  const partners = commaList(values.partners ?? '');
  return {
    protocol: values.protocol === 'sms' ? 'sms' : 'email',
    endpoint: values.endpoint ?? '',
    ...(values.minSeverity ? { minSeverity: values.minSeverity as NewSubscription['minSeverity'] } : {}),
    ...(reporters.length > 0 ? { reporters } : {}),
    ...(partners.length > 0 ? { partners } : {}),
  };
}

export function SubscriptionsPage({ api, session }: PageProps) {
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<Error | undefined>();
  const [added, setAdded] = useState<Subscription | undefined>();
  const loaded = useLoad(() => api.get<{ subscriptions: Subscription[] }>('/subscriptions'), [version]);
  const admin = isAdmin(session);
  const act = async (action: () => Promise<void>) => {
    setError(undefined);
    try {
      await action();
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(caught as Error);
    }
  };
  return (
    <>
      <h1>Subscriptions</h1>
      <p>
        Who receives alerts, through Amazon SNS: each subscription is filtered to its severity floor and reporters or partners. An e-mail subscription stays pending until its
        owner follows the link in the confirmation e-mail SNS sends. SMS accounts start in the SNS sandbox, where only verified phone numbers receive messages; ask AWS to move
        the account out of the sandbox to text anyone.
      </p>
      <Show loaded={loaded} what="subscriptions">
        {({ subscriptions }) => (
          <DataTable label="Subscriptions" caption="Subscriptions" columns={['Endpoint', 'Protocol', 'Severity at least', 'Reporters', 'Partners', 'State', 'Added', 'Remove', ...(admin ? ['Remove'] : [])]}>
            {subscriptions.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.endpoint}</th>
                <td>{s.protocol === 'sms' ? 'SMS' : 'e-mail'}</td>
                <td>{s.minSeverity ?? 'default'}</td>
                <td>{s.reporters?.join(', ') ?? 'all'}</td>
                <td>{s.partners?.join(', ') ?? 'all'}</td>
                <td>
                  {STATES[s.state]}
                  {s.note ? ` (${s.note})` : ''}
                </td>
                <td>{when(s.createdAt)}</td>
                {admin ? <RemoveCell label={`Remove ${s.endpoint}`} onRemove={() => void act(() => api.send('DELETE', `/subscriptions/${encodeURIComponent(s.id)}`))} /> : null}
              </tr>
            ))}
          </DataTable>
        )}
      </Show>
      {admin ? (
        <form
          class="entry"
          aria-label="Add a subscriber"
          onSubmit={(event) => {
            event.preventDefault();
            const values = formValues(event.currentTarget);
            void act(async () => {
              setAdded((await api.send<{ subscription: Subscription }>('POST', '/subscriptions', subscriptionOf(values))).subscription);
            });
          }}
        >
          <h2>Add a subscriber</h2>
          <Field label="Protocol">
            <select name="protocol">
              <option value="email">e-mail</option>
              <option value="sms">SMS</option>
            </select>
          </Field>
          <Field label="E-mail address or phone number" hint="a phone number in E.164 form: +4915112345678">
            <input name="endpoint" required />
          </Field>
          <Field label="Severity at least">
            <select name="minSeverity">
              <option value="">default (e-mail warning, SMS critical)</option>
              <option value="info">info</option>
              <option value="warning">warning</option>
              <option value="critical">critical</option>
            </select>
          </Field>
          <Field label="Reporters (optional)" hint="comma list: CHN,TUR">
            <input name="reporters" />
          </Field>
          <Field label="Partners (optional)" hint="comma list: KAZ,AZE">
            <input name="partners" />
          </Field>
          <button type="submit">Add subscriber</button>
        </form>
      ) : (
        <p>Only admins change subscriptions.</p>
      )}
      {added ? (
        <p role="status">
          Added {added.endpoint}: {STATES[added.state]}.
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
    </>
  );
}

import type { Route } from '../../shared/domain/alerts/routing.js';
import type { LocalAlertTopic } from '../../shared/local/local-alerts.js';

/** Points the CLI, as a user's shell would, at a test table and a local alert topic with these subscriber routes. */
export function pointCliAt(table: { readonly connection: { readonly endpoint: string }; readonly tableName: string }, topic: LocalAlertTopic, routes: readonly Route[]): void {
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: table.connection.endpoint,
    TABLE_NAME: table.tableName,
    SNS_ENDPOINT: topic.endpoint,
    ALERT_TOPIC_ARN: topic.topicArn,
    ROUTES: JSON.stringify(routes),
  });
}

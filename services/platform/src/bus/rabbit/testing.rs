//! Helpers for tests that use a real broker.

use lapin::options::QueueDeleteOptions;
use lapin::{Connection, ConnectionProperties};

/// When the uuid v7 in a test queue's name was made (ms since the
/// epoch); `None` for a name without one.
fn made_at_ms(name: &str) -> Option<u128> {
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(31)).find_map(|start| {
        let run = name.get(start..start + 32)?;
        let hex = run
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        (hex && (start == 0 || !bytes[start - 1].is_ascii_hexdigit()))
            .then(|| u128::from_str_radix(&run[..12], 16).ok())
            .flatten()
    })
}

/// Deletes test queues (`sury.test.…`, `sury-test-…`) made more than
/// an hour ago: a run that failed before cleaning up leaves quorum
/// queues behind, and hundreds of them make the broker take minutes to
/// stop. Queues of runs still going are younger and left alone.
pub async fn sweep_stale_queues(amqp_url: &str) {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    delete_queues_where(amqp_url, |name| {
        (name.starts_with("sury.test.") || name.starts_with("sury-test-"))
            && made_at_ms(name).is_some_and(|ms| now_ms.saturating_sub(ms) > 3_600_000)
    })
    .await;
}

/// Deletes every queue of `namespace` (`<namespace>.…`): the services'
/// queues and the per-process broadcast ones of processes a test killed,
/// which would otherwise wait out their expiry (an hour), each a quorum
/// queue the broker must stop when a test restarts it.
pub async fn delete_namespace_queues(amqp_url: &str, namespace: &str) {
    let prefix = format!("{namespace}.");
    delete_queues_where(amqp_url, |name| name.starts_with(&prefix)).await;
}

async fn delete_queues_where(amqp_url: &str, doomed: impl Fn(&str) -> bool) {
    let Ok(listed) = std::process::Command::new("rabbitmqctl")
        .args(["list_queues", "name", "--quiet"])
        .stdin(std::process::Stdio::null())
        .output()
    else {
        return;
    };
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter(|name| doomed(name))
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        return;
    }
    let Ok(connection) = Connection::connect(amqp_url, ConnectionProperties::default()).await
    else {
        return;
    };
    if let Ok(channel) = connection.create_channel().await {
        for name in &names {
            let _ = channel
                .queue_delete(name.as_str().into(), QueueDeleteOptions::default())
                .await;
        }
    }
    let _ = connection.close(200, "swept".into()).await;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_age_of_a_test_queue_is_in_its_name() {
        let id = "01a2113f0516761c8b6b78332ece2ccb";
        let ms = u128::from_str_radix(&id[..12], 16).unwrap();
        assert_eq!(
            super::made_at_ms(&format!("sury.test.crash.{id}.dead")),
            Some(ms)
        );
        assert_eq!(
            super::made_at_ms(&format!("sury-test-{id}.catalog.orders")),
            Some(ms)
        );
        assert_eq!(super::made_at_ms("sury.catalog.orders"), None);
    }
}

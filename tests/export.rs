//! The exports of a run: the CSV tables and the JSON document.

use pollhook::export::{self, TRACE_CSV_HEADER};
use pollhook::gallery;
use pollhook::scenario::Scenario;
use pollhook::sim::{self, Run, Strategy};

fn default_run() -> Run {
    sim::run(&Scenario::default())
}

fn run_with_payments(payments: u32) -> Run {
    let mut scenario = Scenario::default();
    scenario.workload.payments = payments;
    sim::run(&scenario)
}

fn message_count(run: &Run, strategy: Strategy) -> usize {
    run.lane(strategy).expect("the strategy is shown").trace.messages.len()
}

#[test]
fn trace_csv_has_row_per_message() {
    let run = default_run();
    let csv = export::trace_csv(&run, Strategy::Polling);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), message_count(&run, Strategy::Polling) + 1);
    assert_eq!(lines[0], TRACE_CSV_HEADER);
    assert_eq!(
        lines[0],
        "kind,purpose,payment,sent_ms,arrives_ms,lost,status,http_status,event_id,attempt,retry_after_s"
    );
    assert!(csv.ends_with("\r\n"));
    assert_eq!(lines[1], "status_request,poll,1,2000,2100,false,,,,,");
    assert_eq!(lines[2], "status_response,poll,1,2100,2200,false,pending,200,,,");
}

#[test]
fn trace_csv_parses_back() {
    let run = run_with_payments(5);
    let csv = export::trace_csv(&run, Strategy::Webhook);
    let messages = &run.lane(Strategy::Webhook).unwrap().trace.messages;
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let sent_column = header.iter().position(|name| *name == "sent_ms").unwrap();
    let payment_column = header.iter().position(|name| *name == "payment").unwrap();

    let rows: Vec<Vec<&str>> = lines.map(|line| line.split(',').collect()).collect();
    assert_eq!(rows.len(), messages.len());
    for (row, message) in rows.iter().zip(messages) {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(row[sent_column].parse::<u64>(), Ok(message.sent_at), "{row:?}");
        assert_eq!(row[payment_column].parse::<u32>(), Ok(message.payment + 1), "{row:?}");
    }
}

#[test]
fn trace_csv_marks_lost_messages() {
    let failure = gallery::entry("duplicate-delivery").expect("the entry exists").failure;
    let run = sim::run(&failure.scenario);
    let csv = export::trace_csv(&run, failure.strategy);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[1], "webhook,delivery,1,7000,7100,false,succeeded,,1,1,");
    assert_eq!(lines[2], "webhook_response,delivery,1,7100,7200,true,,200,1,1,");
}

#[test]
fn changes_and_notes_csv_count_rows() {
    let failure = gallery::entry("duplicate-delivery").expect("the entry exists").failure;
    let run = sim::run(&failure.scenario);
    let trace = &run.lane(failure.strategy).unwrap().trace;

    let changes = export::changes_csv(&run, failure.strategy);
    assert_eq!(changes.lines().count(), trace.changes.len() + 1);
    assert_eq!(changes.lines().next(), Some("at_ms,payment,actor,status"));
    assert!(changes.contains("\r\n7000,1,provider,succeeded\r\n"), "{changes}");

    let notes = export::notes_csv(&run, failure.strategy);
    assert_eq!(notes.lines().count(), trace.notes.len() + 1);
    assert!(notes.contains("\r\n22000,1,timed_out,1,1,,,,,\r\n"), "{notes}");
    assert!(notes.contains("\r\n27100,1,applied,1,,succeeded,true,false,,\r\n"), "{notes}");
}

#[test]
fn csv_of_missing_strategy_is_header_only() {
    let csv = export::trace_csv(&default_run(), Strategy::Hybrid);
    assert_eq!(csv, format!("{TRACE_CSV_HEADER}\r\n"));
}

#[test]
fn run_json_parses_back() {
    let run = run_with_payments(3);
    let query = "payments=3&note=\"quoted\"";
    let json = export::run_json(&run, query);
    let document: serde_json::Value = serde_json::from_str(&json).expect("the export is valid JSON");

    assert_eq!(document["format"], "pollhook-run");
    assert_eq!(document["version"], 1);
    assert_eq!(document["scenario"], query);
    assert_eq!(document["payments"].as_array().unwrap().len(), 3);

    let lanes = document["lanes"].as_array().unwrap();
    assert_eq!(lanes.len(), run.lanes.len());
    for (lane, expected) in lanes.iter().zip(&run.lanes) {
        let trace = &expected.trace;
        assert_eq!(lane["strategy"], expected.strategy.key());
        assert_eq!(lane["messages"].as_array().unwrap().len(), trace.messages.len());
        assert_eq!(lane["changes"].as_array().unwrap().len(), trace.changes.len());
        assert_eq!(lane["notes"].as_array().unwrap().len(), trace.notes.len());
        assert_eq!(lane["metrics"]["provider_requests"], expected.metrics.provider_requests);
        assert_eq!(lane["metrics"]["detected"], 3);
    }
    assert_eq!(lanes[0]["messages"][0]["sent_at"], 2_000);
    assert_eq!(lanes[0]["messages"][0]["kind"], "status_request");
}

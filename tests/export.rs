//! The exports of a run: the Mermaid diagram, the CSV tables and the JSON document.

use pollhook::export::{self, MAX_ARROWS, TRACE_CSV_HEADER};
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

/// Returns the arrow lines of a diagram: every line that starts with a participant.
fn arrows(diagram: &str) -> Vec<&str> {
    diagram.lines().map(str::trim).filter(|line| line.starts_with("G-") || line.starts_with("P-")).collect()
}

#[test]
fn polling_mermaid_matches_expected() {
    let expected = "\
sequenceDiagram
    title Polling strategy
    participant G as Gateway
    participant P as ABC Payment
    G->>P: 0:02.000 GET status
    P-->>G: 0:02.100 pending
    G->>P: 0:04.000 GET status
    P-->>G: 0:04.100 pending
    G->>P: 0:06.000 GET status
    P-->>G: 0:06.100 pending
    Note over P: 0:07.000 payment 1 succeeded
    G->>P: 0:08.000 GET status
    P-->>G: 0:08.100 succeeded
    Note over G: 0:08.200 knows payment 1 succeeded
";
    assert_eq!(export::mermaid(&default_run(), Strategy::Polling, 10), expected);
}

#[test]
fn webhook_mermaid_has_one_delivery() {
    let diagram = export::mermaid(&default_run(), Strategy::Webhook, 10);
    assert_eq!(diagram.matches("P->>G").count(), 1, "{diagram}");
    assert!(diagram.contains("P->>G: 0:07.000 webhook payment.succeeded (evt_1, attempt 1)\n"), "{diagram}");
    assert!(diagram.contains("G-->>P: 0:07.100 200 OK\n"), "{diagram}");
    assert!(!diagram.contains("not shown"), "{diagram}");
}

#[test]
fn payment_limit_truncates_diagram() {
    let run = run_with_payments(50);
    let diagram = export::mermaid(&run, Strategy::Polling, 3);
    let drawn = arrows(&diagram);
    let hidden = message_count(&run, Strategy::Polling) - drawn.len();
    assert!(hidden > 0);
    assert!(
        diagram.ends_with(&format!("    Note over G,P: {hidden} more messages not shown\n")),
        "{diagram}"
    );
    for line in &drawn {
        let payment = line.rsplit(' ').next().unwrap();
        assert!(["1", "2", "3"].contains(&payment), "{line}");
    }
    assert!(!diagram.contains("payment 4"), "{diagram}");
}

#[test]
fn arrow_cap_truncates_diagram() {
    let run = run_with_payments(500);
    let diagram = export::mermaid(&run, Strategy::Polling, 500);
    let hidden = message_count(&run, Strategy::Polling) - MAX_ARROWS;
    assert_eq!(arrows(&diagram).len(), MAX_ARROWS);
    assert!(diagram.ends_with(&format!("    Note over G,P: {hidden} more messages not shown\n")));
    // Mermaid's default maxTextSize is 50,000 characters.
    assert!(diagram.len() < 50_000, "{} bytes", diagram.len());
}

#[test]
fn mermaid_names_missing_strategy() {
    let diagram = export::mermaid(&default_run(), Strategy::Hybrid, 10);
    assert!(diagram.contains("Note over G,P: Webhook + reconciliation was not simulated in this run\n"));
    assert!(arrows(&diagram).is_empty());
}

#[test]
fn duplicate_delivery_mermaid_shows_loss() {
    let failure = gallery::entry("duplicate-delivery").expect("the entry exists").failure;
    let run = sim::run(&failure.scenario);
    let diagram = export::mermaid(&run, failure.strategy, 10);
    assert!(diagram.contains("    G--xP: 0:07.100 200 OK\n"), "{diagram}");
    assert!(diagram.contains("Note over P: 0:22.000 attempt 1 of evt_1 timed out\n"), "{diagram}");
    assert!(diagram.contains("P->>G: 0:27.000 webhook payment.succeeded (evt_1, attempt 2)\n"), "{diagram}");
    assert!(
        diagram.contains("Note over G: 0:27.100 processed evt_1 (succeeded) a second time\n"),
        "{diagram}"
    );
}

/// Every line of every gallery diagram has one of the forms the exporter
/// writes, and no text contains `#` or `;`, which end a Mermaid message.
#[test]
fn gallery_diagrams_keep_mermaid_syntax() {
    let arrow_forms =
        ["G->>P: ", "P->>G: ", "G-->>P: ", "P-->>G: ", "G-xP: ", "P-xG: ", "G--xP: ", "P--xG: "];
    let note_forms = ["Note over G: ", "Note over P: ", "Note over G,P: "];
    for entry in gallery::entries() {
        for variant in entry.variants() {
            let run = sim::run(&variant.scenario);
            let diagram = export::mermaid(&run, variant.strategy, usize::MAX);
            let mut lines = diagram.lines();
            assert_eq!(lines.next(), Some("sequenceDiagram"));
            for line in lines.skip(3) {
                let line = line.trim();
                let known = arrow_forms.iter().chain(&note_forms).any(|form| line.starts_with(form));
                assert!(known, "{} {}: unexpected line {line:?}", entry.key, variant.label);
                assert!(!line.contains(['#', ';']), "{} {}: {line:?}", entry.key, variant.label);
            }
        }
    }
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

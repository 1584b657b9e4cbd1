// AccountDirectory: an account as the kiosk may show it — holder initials, the address without
// the flat, meters with their serial cut to the last characters and each zone's last reading.
// Reads only, on QueueStore's connection; the full name, flat and serial never leave it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/meter_reading.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/queue_store.h"

namespace talon::server {

struct ZoneView {
    std::string zone;                  // as meter::zonesOf names it
    std::optional<std::string> last;   // the last reading as the register shows it ("12345.6")
    std::optional<std::string> readOn; // YYYY-MM-DD, with `last`
};

struct MeterView {
    int position = 0;    // 1-based place in the account's list (by full serial): POST /readings' "meter"
    std::string serial;  // masked: "…1234"
    meter::Tariff tariff = meter::Tariff::Single;
    meter::Register reg;
    std::vector<ZoneView> zones;  // every zone of the tariff, in the bill's order
    std::optional<std::string> calibrationDue;  // YYYY-MM-DD
    bool calibrationOverdue = false;            // due before today in the office's time zone
    std::optional<double> usualKwhPerDay;       // as imported; none: not known
    std::optional<std::string> submittedOn;     // this period's accepted submission: its taken_on
};

struct AccountView {
    std::string number;
    std::string holder;   // initials only: "И. П. С."
    std::string address;  // street and house, no flat
    std::string status;   // active, closed
    std::vector<MeterView> meters;  // by serial
    std::string today;   // YYYY-MM-DD in the office's time zone
    std::string period;  // YYYY-MM of today: the month a reading taken now counts for
};

/// 6 to 20 ASCII digits, the form every stored account number has.
bool validAccountNumber(std::string_view number);
/// "Иванов Пётр Сергеевич" → "И. П. С.": the first letter of each word, upper-cased (Latin and
/// Cyrillic), whatever the spacing; "" for a name without words.
std::string holderInitials(std::string_view fullName);
/// The address up to (not including) a flat: ", кв. 12", "кв.12", ", квартира 5", ", apt 4",
/// ", flat 7", ", комн. 3" and what follows are cut; "д. 5/12" stays (a house number).
std::string addressWithoutFlat(std::string_view address);
/// "…" and the serial's last 4 characters; of a serial of 4 or fewer, all but its first
/// character, so the whole serial never shows.
std::string maskSerial(std::string_view serial);

class AccountDirectory {
public:
    AccountDirectory(QueueStore& store, const Clock& clock) : m_store(store), m_clock(clock) {}

    /// The masked account. Errors: bad_request (detail.account_number: not 6–20 digits);
    /// unknown_account (404); storage.
    Result<AccountView> lookup(std::string_view number);

private:
    QueueStore& m_store;
    const Clock& m_clock;
};

}  // namespace talon::server

/**
 * The portal's subscriptions pages' strings in the widget's four languages (like portal.i18n.ts;
 * each table complete, checked by the type checker).
 */
const en = {
  subscriptions: "Subscriptions",
  none: "No subscriptions.",
  every: (period: string) => `every ${period}`,
  period: { month: "month", year: "year", months: (n: number) => `${n} months`, years: (n: number) => `${n} years` },
  status: {
    trialing: "Free trial",
    active: "Active",
    past_due: "Payment failed",
    canceled: "Ended",
  } as Record<string, string>,
  renews: "Renews on",
  ends: "Ends on",
  ended: "Ended on",
  trialEnds: "Trial ends on",
  charges: "Charges",
  noCharges: "No charges yet.",
  chargeKind: { first: "First payment", renewal: "Renewal" } as Record<string, string>,
  chargeStatus: { paid: "Paid", failed: "Failed" } as Record<string, string>,
  cancel: "Cancel subscription",
  cancelHelp: "It keeps running until the end of the period you paid for, then stops. You can change your mind until then.",
  confirmCancel: "Yes, cancel it",
  canceled: "Cancelled. It stays active until the end of the period.",
  resume: "Keep my subscription",
  resumed: "Your subscription continues.",
  pastDueHelp: "The last payment failed. We will try again; update your card with the shop if it keeps failing.",
  all: "All subscriptions",
};
export type SubscriptionStrings = typeof en;

const es: SubscriptionStrings = {
  subscriptions: "Suscripciones",
  none: "No tienes suscripciones.",
  every: (period) => `cada ${period}`,
  period: { month: "mes", year: "año", months: (n) => `${n} meses`, years: (n) => `${n} años` },
  status: { trialing: "Prueba gratuita", active: "Activa", past_due: "Pago fallido", canceled: "Finalizada" },
  renews: "Se renueva el",
  ends: "Termina el",
  ended: "Terminó el",
  trialEnds: "La prueba termina el",
  charges: "Cobros",
  noCharges: "Aún no hay cobros.",
  chargeKind: { first: "Primer pago", renewal: "Renovación" },
  chargeStatus: { paid: "Pagado", failed: "Fallido" },
  cancel: "Cancelar la suscripción",
  cancelHelp: "Sigue activa hasta el final del periodo que pagaste y luego termina. Puedes cambiar de opinión hasta entonces.",
  confirmCancel: "Sí, cancelarla",
  canceled: "Cancelada. Sigue activa hasta el final del periodo.",
  resume: "Mantener mi suscripción",
  resumed: "Tu suscripción continúa.",
  pastDueHelp: "El último pago falló. Lo intentaremos de nuevo; si sigue fallando, actualiza tu tarjeta con la tienda.",
  all: "Todas las suscripciones",
};

const de: SubscriptionStrings = {
  subscriptions: "Abonnements",
  none: "Keine Abonnements.",
  every: (period) => `jede(n) ${period}`,
  period: { month: "Monat", year: "Jahr", months: (n) => `${n} Monate`, years: (n) => `${n} Jahre` },
  status: { trialing: "Kostenlose Testphase", active: "Aktiv", past_due: "Zahlung fehlgeschlagen", canceled: "Beendet" },
  renews: "Verlängert sich am",
  ends: "Endet am",
  ended: "Endete am",
  trialEnds: "Testphase endet am",
  charges: "Zahlungen",
  noCharges: "Noch keine Zahlungen.",
  chargeKind: { first: "Erste Zahlung", renewal: "Verlängerung" },
  chargeStatus: { paid: "Bezahlt", failed: "Fehlgeschlagen" },
  cancel: "Abonnement kündigen",
  cancelHelp: "Es läuft bis zum Ende des bezahlten Zeitraums weiter und endet dann. Bis dahin kannst du es dir anders überlegen.",
  confirmCancel: "Ja, kündigen",
  canceled: "Gekündigt. Es bleibt bis zum Ende des Zeitraums aktiv.",
  resume: "Abonnement behalten",
  resumed: "Dein Abonnement läuft weiter.",
  pastDueHelp:
    "Die letzte Zahlung ist fehlgeschlagen. Wir versuchen es erneut; aktualisiere deine Karte beim Shop, falls es weiter fehlschlägt.",
  all: "Alle Abonnements",
};

const fr: SubscriptionStrings = {
  subscriptions: "Abonnements",
  none: "Aucun abonnement.",
  every: (period) => `chaque ${period}`,
  period: { month: "mois", year: "année", months: (n) => `${n} mois`, years: (n) => `${n} ans` },
  status: { trialing: "Essai gratuit", active: "Actif", past_due: "Paiement refusé", canceled: "Terminé" },
  renews: "Renouvellement le",
  ends: "Se termine le",
  ended: "Terminé le",
  trialEnds: "L’essai se termine le",
  charges: "Paiements",
  noCharges: "Pas encore de paiement.",
  chargeKind: { first: "Premier paiement", renewal: "Renouvellement" },
  chargeStatus: { paid: "Payé", failed: "Refusé" },
  cancel: "Résilier l’abonnement",
  cancelHelp: "Il reste actif jusqu’à la fin de la période payée, puis s’arrête. Vous pouvez changer d’avis d’ici là.",
  confirmCancel: "Oui, résilier",
  canceled: "Résilié. Il reste actif jusqu’à la fin de la période.",
  resume: "Garder mon abonnement",
  resumed: "Votre abonnement continue.",
  pastDueHelp: "Le dernier paiement a échoué. Nous réessaierons ; mettez votre carte à jour auprès de la boutique si cela continue.",
  all: "Tous les abonnements",
};

const ALL: Record<string, SubscriptionStrings> = { en, es, de, fr };
export const subscriptionStrings = (lang: string): SubscriptionStrings => ALL[lang] ?? en;

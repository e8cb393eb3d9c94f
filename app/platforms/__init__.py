"""The platforms' open APIs as Packline uses them: e-waybills (a tracking number and print data
per parcel), shipment confirmation (发货回传) and pulling a shop's orders. One module per
platform speaks its wire format (signing, paging, errors); `app.platforms.base` is the shape
the services use. Nothing here touches the database or the screens."""
